import { describe, expect, it } from 'vitest';
import { toListInput } from './order-filters';

describe('the orders list filters sent to the API', () => {
  it('make the last day inclusive by asking up to the next midnight, in the admin’s time zone', () => {
    expect(
      toListInput(
        { statuses: [], from: '2026-11-01', to: '2026-11-30', search: '' },
        'America/New_York',
      ),
    ).toEqual({ from: '2026-11-01', to: '2026-12-01', timeZone: 'America/New_York' });
    expect(toListInput({ statuses: [], from: '', to: '2026-12-31', search: '' }, 'UTC')).toEqual({
      to: '2027-01-01',
      timeZone: 'UTC',
    });
  });

  it('leave out what is not set', () => {
    expect(toListInput({ statuses: [], from: '', to: '', search: '' })).toEqual({});
    expect(
      toListInput({ statuses: ['paid', 'refunded'], from: '', to: '', search: 'ada@example.com' }),
    ).toEqual({ statuses: ['paid', 'refunded'], search: 'ada@example.com' });
  });
});
