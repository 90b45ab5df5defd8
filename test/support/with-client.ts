import { Client } from 'pg';

/** Runs `work` on a connection of its own to `url`, closed afterwards. Shared by the tests and the benchmark. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
