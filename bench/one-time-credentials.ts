/**
 * Gateway credentials are single-use, and a load generator builds its requests synchronously: keep a
 * stock of credentials signed ahead, topped up in the background, and hand one to each request.
 */
export class OneTimeCredentials {
  private readonly stock: string[] = [];
  private refilling: Promise<void> | null = null;

  private constructor(
    private readonly sign: () => Promise<string>,
    private readonly lowWater: number,
  ) {}

  static async start(sign: () => Promise<string>, lowWater = 20_000): Promise<OneTimeCredentials> {
    const credentials = new OneTimeCredentials(sign, lowWater);
    await credentials.refill();
    return credentials;
  }

  take(): string {
    const credential = this.stock.pop();
    if (!credential) throw new Error('one-time credentials ran out: raise lowWater');
    if (this.stock.length < this.lowWater) this.refilling ??= this.refill().finally(() => (this.refilling = null));
    return credential;
  }

  private async refill(): Promise<void> {
    const batch = await Promise.all(Array.from({ length: this.lowWater }, () => this.sign()));
    this.stock.unshift(...batch);
  }
}
