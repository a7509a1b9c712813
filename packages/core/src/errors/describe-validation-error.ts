/** One readable sentence from a zod error, for messages a person can act on: `email: must be an email address; name is required`. */
import type { z } from 'zod';

export function describeValidationError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      if (!field) return issue.message;
      if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
        return `${field} is required`;
      }
      return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
    })
    .join('; ');
}
