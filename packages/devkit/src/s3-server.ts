/**
 * An embedded S3-compatible server (s3rver) for development and tests. Our code talks to it through the real
 * `@aws-sdk/client-s3` with path-style addressing; s3rver does not check signatures.
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import S3rver from 's3rver';
import { assertPortFree } from './embedded-postgres';

export interface EmbeddedS3Options {
  directory: string;
  port: number;
  buckets: string[];
}

export interface EmbeddedS3Server {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

export async function startEmbeddedS3(options: EmbeddedS3Options): Promise<EmbeddedS3Server> {
  const directory = path.resolve(options.directory);
  await mkdir(directory, { recursive: true });
  await assertPortFree(options.port, 'embedded S3');
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    directory,
    silent: true,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  await server.run();
  const httpServer = (server as unknown as { httpServer: Server }).httpServer;
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async stop() {
      // The AWS SDK keeps sockets alive; close them or close() waits for their idle timeout.
      httpServer.closeAllConnections();
      await server.close();
    },
  };
}
