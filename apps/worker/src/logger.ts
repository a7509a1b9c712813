/** Structured logs (pino): pretty in development, JSON elsewhere. */
import pino, { type Logger } from 'pino';

export function createLogger(options: { level: string; pretty: boolean }): Logger {
  return pino({
    name: 'worker',
    level: options.level,
    redact: { paths: ['*.token', '*.accessToken', '*.password'], censor: '[redacted]' },
    ...(options.pretty
      ? {
          transport: { target: 'pino-pretty', options: { colorize: true, ignore: 'pid,hostname' } },
        }
      : {}),
  });
}
