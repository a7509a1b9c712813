/** The product choice, the customer's details and "Pay": creates the checkout and leaves for the payment page. */
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import type { CreateCheckoutInput } from '@restoreclick/sdk';
import { client } from '../client';
import { errorMessage, fieldError } from '../error-message';
import { formatMoney } from '../format';
import { PRICE_CURRENCY, PRODUCT_OPTIONS, type ProductOption } from './product-options';

interface CheckoutFormProps {
  uploadSessionId: string | null;
  /** Photos the API has stored; refused ones are not part of the order. */
  photoCount: number;
  uploading: boolean;
}

export function CheckoutForm({ uploadSessionId, photoCount, uploading }: CheckoutFormProps) {
  const [product, setProduct] = useState<ProductOption['id']>('standard');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [notReady, setNotReady] = useState<string | null>(null);
  const ids = { email: useId(), name: useId(), emailError: useId(), nameError: useId() };

  const checkout = useMutation({
    mutationFn: (input: CreateCheckoutInput) => client.checkout.create.mutate(input),
    onSuccess: (created) => window.location.assign(created.checkoutUrl),
  });

  const unitAmount = PRODUCT_OPTIONS.find((option) => option.id === product)?.unitAmount ?? 0;
  const total = formatMoney(unitAmount * photoCount, PRICE_CURRENCY);
  const emailError = fieldError(checkout.error, 'email');
  const nameError = fieldError(checkout.error, 'name');
  const formError =
    checkout.error && !emailError && !nameError ? errorMessage(checkout.error) : null;
  const leaving = checkout.isPending || checkout.isSuccess;
  let payLabel = photoCount === 0 ? 'Pay' : `Pay ${total}`;
  if (leaving) payLabel = 'Opening the payment page…';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (uploading) {
      setNotReady('Wait until your photos have finished uploading.');
    } else if (!uploadSessionId || photoCount === 0) {
      setNotReady('Add at least one photo before you pay.');
    } else {
      setNotReady(null);
      checkout.mutate({ uploadSessionId, email, name, options: { product } });
    }
  };

  return (
    <form className="checkout-form" onSubmit={onSubmit} aria-label="Order details">
      <fieldset className="product-options">
        <legend>Restoration</legend>
        {PRODUCT_OPTIONS.map((option) => (
          <label key={option.id} className="product-option">
            <input
              type="radio"
              name="product"
              value={option.id}
              checked={product === option.id}
              onChange={() => setProduct(option.id)}
            />
            <span>
              <span className="product-label">
                {option.label}: {formatMoney(option.unitAmount, PRICE_CURRENCY)} per photo
              </span>
              <span className="hint">{option.description}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <div className="field">
        <label htmlFor={ids.email}>Email</label>
        <input
          id={ids.email}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? ids.emailError : undefined}
        />
        {emailError && (
          <p id={ids.emailError} className="field-error">
            {emailError}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={ids.name}>Your name</label>
        <input
          id={ids.name}
          type="text"
          autoComplete="name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
          aria-invalid={nameError ? true : undefined}
          aria-describedby={nameError ? ids.nameError : undefined}
        />
        {nameError && (
          <p id={ids.nameError} className="field-error">
            {nameError}
          </p>
        )}
      </div>

      <p className="total" aria-live="polite">
        {photoCount === 0 ? (
          'Add photos to see the total.'
        ) : (
          <>
            {photoCount === 1 ? '1 photo' : `${photoCount} photos`}: <strong>{total}</strong>
          </>
        )}
      </p>
      {(notReady ?? formError) && (
        <p role="alert" className="form-error">
          {notReady ?? formError}
        </p>
      )}
      <button type="submit" className="button button-primary button-large" disabled={leaving}>
        {payLabel}
      </button>
      <p className="hint">You pay on our payment partner’s secure page.</p>
    </form>
  );
}
