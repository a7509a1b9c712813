/** What the local Stripe server logs through: the subset of pino's API it uses, or a plain line sink. */
export interface LocalStripeLogger {
  debug(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

const ignore = () => {};

export const silentLogger: LocalStripeLogger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
};

/** Info and above as `message key=value …` lines, for a terminal. */
export function lineLogger(write: (line: string) => void): LocalStripeLogger {
  const line = (details: Record<string, unknown>, message: string) => {
    const fields = Object.entries(details)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    write(fields ? `${message} ${fields}` : message);
  };
  return { debug: ignore, info: line, warn: line, error: line };
}
