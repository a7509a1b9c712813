/**
 * The product options offered on the upload page. A copy of the API's default price table
 * (`DEFAULT_PRICE_TABLE` in packages/core/src/orders/pricing.ts), shown before checkout because no procedure
 * lists prices yet. The API prices every order itself; the payment page always shows the amount charged.
 */
export interface ProductOption {
  id: 'standard' | 'premium';
  label: string;
  description: string;
  /** Per photo, in cents. */
  unitAmount: number;
}

export const PRICE_CURRENCY = 'usd';

export const PRODUCT_OPTIONS: readonly ProductOption[] = [
  {
    id: 'standard',
    label: 'Standard restoration',
    description: 'Scratches, fading and noise removed; 2× resolution.',
    unitAmount: 900,
  },
  {
    id: 'premium',
    label: 'Premium restoration',
    description: 'Standard plus face enhancement for portraits.',
    unitAmount: 1900,
  },
];
