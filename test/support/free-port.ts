import { createServer } from 'node:net';

/**
 * A TCP port nobody listens on now, for a process started on a port chosen in advance (so that a
 * restarted one comes back where the others expect it). Shared by the fault tests and the benchmark.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
