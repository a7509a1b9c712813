/**
 * Prices live here, not in a client: a per-photo price for each product option, in integer minor units of one
 * currency. The table comes from config (`PRICE_TABLE`), with a sensible default.
 */
import { z } from 'zod';
import { AppError } from '../errors/app-error';

export const ZProductOption = z.object({
  label: z.string().min(1),
  description: z.string().default(''),
  unitAmount: z.number().int().min(0),
});
export type ProductOption = z.infer<typeof ZProductOption>;

export const ZPriceTable = z.object({
  currency: z.string().regex(/^[a-z]{3}$/, 'must be a lowercase ISO 4217 code like usd or eur'),
  options: z
    .record(z.string().regex(/^[a-z][a-z0-9_-]*$/), ZProductOption)
    .refine((options) => Object.keys(options).length > 0, 'needs at least one option'),
});
export type PriceTable = z.infer<typeof ZPriceTable>;

export const DEFAULT_PRICE_TABLE: PriceTable = {
  currency: 'usd',
  options: {
    standard: {
      label: 'Standard restoration',
      description: 'Scratches, fading and noise removed; 2× resolution.',
      unitAmount: 900,
    },
    premium: {
      label: 'Premium restoration',
      description: 'Standard plus face enhancement for portraits.',
      unitAmount: 1900,
    },
  },
};

export interface OrderPrice {
  option: string;
  label: string;
  currency: string;
  unitAmount: number;
  quantity: number;
  subtotalAmount: number;
  totalAmount: number;
}

export function priceOrder(table: PriceTable, option: string, quantity: number): OrderPrice {
  const product = table.options[option];
  if (!product) {
    throw new AppError(
      'INVALID_INPUT',
      `Unknown product option "${option}". Choose one of: ${Object.keys(table.options).join(', ')}.`,
      { field: 'options.product' },
    );
  }
  if (!Number.isInteger(quantity) || quantity < 1) {
    throw new AppError('INVALID_INPUT', 'An order needs at least one photo.');
  }
  const subtotalAmount = product.unitAmount * quantity;
  return {
    option,
    label: product.label,
    currency: table.currency,
    unitAmount: product.unitAmount,
    quantity,
    subtotalAmount,
    totalAmount: subtotalAmount,
  };
}
