/** A setting given as JSON in one environment variable, parsed and then validated by `schema`. */
import { z } from 'zod';

export function jsonSetting<T extends z.ZodType>(schema: T, example: string) {
  return z
    .string()
    .transform((value, context) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `must be JSON like ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
