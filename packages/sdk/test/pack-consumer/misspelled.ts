/** Must NOT compile: the pack test asserts that tsc reports the misspelled procedure below. */
import { createClient } from '@restoreclick/sdk';

const client = createClient({ url: 'https://api.restoreclick.example' });

export const order = await client.orders.gte.query({ token: 'from-the-email' });
