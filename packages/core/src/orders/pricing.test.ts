import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICE_TABLE, priceOrder, ZPriceTable } from './pricing';

describe('pricing', () => {
  it('charges the option’s per-photo price for every photo, in minor units', () => {
    expect(priceOrder(DEFAULT_PRICE_TABLE, 'standard', 3)).toEqual({
      option: 'standard',
      label: 'Standard restoration',
      currency: 'usd',
      unitAmount: 900,
      quantity: 3,
      subtotalAmount: 2700,
      totalAmount: 2700,
    });
  });

  it('names the available options when asked for an unknown one', () => {
    expect(() => priceOrder(DEFAULT_PRICE_TABLE, 'gold', 1)).toThrow(
      'Unknown product option "gold". Choose one of: standard, premium.',
    );
  });

  it('refuses an order without photos', () => {
    expect(() => priceOrder(DEFAULT_PRICE_TABLE, 'standard', 0)).toThrow(/at least one photo/);
  });

  it('validates a configured table', () => {
    expect(ZPriceTable.safeParse({ currency: 'USD', options: {} }).success).toBe(false);
    expect(ZPriceTable.safeParse(DEFAULT_PRICE_TABLE).success).toBe(true);
  });
});
