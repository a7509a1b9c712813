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

export async function placePaidOrder(
  urls: { apiUrl: string; stripeUrl: string },
  customer: { email: string; name: string },
  photos: PhotoFile[],
): Promise<PlacedOrder> {
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
    options: { product: 'standard' },
  });
  const sessionId = new URL(checkout.checkoutUrl).pathname.split('/').pop();
  if (!sessionId) throw new Error(`No session id in ${checkout.checkoutUrl}`);
  // The same code path as the "Pay" button of the local checkout page; the webhook marks the order paid.
  await connectLocalStripeControls(urls.stripeUrl).completeCheckout(sessionId, 'pay');
  return {
    orderId: checkout.orderId,
    orderNumber: checkout.orderNumber,
    totalAmount: checkout.totalAmount,
  };
}
