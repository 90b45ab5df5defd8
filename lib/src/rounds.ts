import { logger } from './logger';

/**
 * Background work done in rounds (an outbox relay's): every `everyMs`, and at once when kicked
 * (after a commit that gave it work), never two rounds at a time; a kick during a round asks for
 * one more right after it, so that nothing committed meanwhile waits for the timer.
 */
export class Rounds {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    /** One round; a round that loops over a backlog stops between batches once `stopping()` is true. */
    private readonly round: (stopping: () => boolean) => Promise<unknown>,
    private readonly everyMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.kick(), this.everyMs);
  }

  /** A round now, or right after the one under way; never waited for by the caller. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    // A stop waits for the round under way: a long backlog must not hold the process's shutdown.
    this.running = this.round(() => this.stopped)
      .catch((error) => logger.error({ err: error, task: this.name }, 'background round failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Stops the timer and waits for the round under way (and any it asked for) to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    while (this.running) await this.running;
  }
}
