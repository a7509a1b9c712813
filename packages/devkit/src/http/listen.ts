/** Starts a local protocol server (Stripe, Replicate, SendGrid) on a TCP port and says which one it got. */
import type { Server } from 'node:http';

/** Listens on `port` (0 picks a free one) and resolves with the port; `name` goes into the error. */
export async function listen(
  server: Server,
  port: number,
  host: string,
  name: string,
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') {
    throw new Error(`The ${name} is not listening on a TCP port (${String(address)})`);
  }
  return address.port;
}
