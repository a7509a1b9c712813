/**
 * Orders for the admin's browser test, placed the way a customer's browser would: through the published SDK
 * (upload session, photos, checkout) and the local Stripe's payment page controls.
 */
import { connectLocalStripeControls } from '@restoreclick/devkit';
import { type PhotoFile } from '@restoreclick/devkit/browser-testing';
import { createClient, uploadPhotos } from '@restoreclick/sdk';

export interface PlacedOrder {
  orderId: string;
  orderNumber: string;
  totalAmount: number;
}

/** The product option of the price table (`standard` unless told). */
export interface OrderOptions {
  product?: string;
}

/** Uploads the photos and checks out; the customer has not paid yet. */
export async function placeUnpaidOrder(
  urls: { apiUrl: string },
  customer: { email: string; name: string },
  photos: PhotoFile[],
  options: OrderOptions = {},
): Promise<PlacedOrder & { checkoutSessionId: string }> {
  const client = createClient({ url: urls.apiUrl });
  const session = await client.uploads.createSession.mutate();
  const { uploaded, rejected } = await uploadPhotos(
    client,
    session.uploadSessionId,
    photos.map(
      (photo) => new File([new Uint8Array(photo.buffer)], photo.name, { type: photo.mimeType }),
    ),
  );
  if (rejected.length > 0 || uploaded.length !== photos.length) {
    throw new Error(`The API refused test photos: ${JSON.stringify(rejected)}`);
  }
  const checkout = await client.checkout.create.mutate({
    uploadSessionId: session.uploadSessionId,
    email: customer.email,
    name: customer.name,
    options: { product: options.product ?? 'standard' },
  });
  const checkoutSessionId = new URL(checkout.checkoutUrl).pathname.split('/').pop();
  if (!checkoutSessionId) throw new Error(`No session id in ${checkout.checkoutUrl}`);
  return {
    orderId: checkout.orderId,
    orderNumber: checkout.orderNumber,
    totalAmount: checkout.totalAmount,
    checkoutSessionId,
  };
}

/** The same, then paid on the local Stripe (the code path of its payment page's "Pay" button). */
export async function placePaidOrder(
  urls: { apiUrl: string; stripeUrl: string },
  customer: { email: string; name: string },
  photos: PhotoFile[],
  options: OrderOptions = {},
): Promise<PlacedOrder> {
  const { checkoutSessionId, ...order } = await placeUnpaidOrder(urls, customer, photos, options);
  // The webhook that follows marks the order paid.
  await connectLocalStripeControls(urls.stripeUrl).completeCheckout(checkoutSessionId, 'pay');
  return order;
}
