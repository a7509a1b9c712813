/**
 * A storefront's use of the installed package, type-checked strictly by the pack test: every named type and
 * helper resolves from the tarball's `.d.ts`, and inputs and outputs are typed end to end.
 */
import {
  type CheckoutConfirmed,
  type CheckoutCreated,
  createClient,
  type CustomerOrder,
  type DownloadCreated,
  type HealthReport,
  isRestoreClickError,
  isUploadError,
  type NotificationList,
  type OrderImage,
  type OrderUpdate,
  type RouterInputs,
  uploadPhotos,
  type UploadPhotosResult,
  type UploadSession,
} from '@restoreclick/sdk';

const client = createClient({ url: 'https://api.restoreclick.example' });

export async function uploadAndPay(files: File[]): Promise<string> {
  const health: HealthReport = await client.health.query();
  if (!health.ok) throw new Error('The shop is having trouble; try again in a minute.');
  const session: UploadSession = await client.uploads.createSession.mutate();
  const result: UploadPhotosResult = await uploadPhotos(client, session.uploadSessionId, files, {
    onProgress: (fileIndex, loadedBytes, totalBytes) =>
      console.log(`${files[fileIndex]?.name}: ${Math.round((100 * loadedBytes) / totalBytes)}%`),
  });
  for (const refusal of result.rejected) console.warn(refusal.filename, refusal.message);
  const input: RouterInputs['checkout']['create'] = {
    uploadSessionId: session.uploadSessionId,
    email: 'ada@example.com',
    name: 'Ada',
  };
  const checkout: CheckoutCreated = await client.checkout.create.mutate(input);
  return checkout.checkoutUrl;
}

export async function successPage(sessionId: string): Promise<CustomerOrder> {
  const confirmed: CheckoutConfirmed = await client.orders.confirmCheckout.mutate({ sessionId });
  return client.orders.get.query({ token: confirmed.accessToken });
}

export function followOrder(token: string, show: (image: OrderImage) => void): () => void {
  const subscription = client.orders.watch.subscribe(
    { token },
    {
      onData: (update: OrderUpdate) => update.data.images.forEach(show),
      onError: (error) => console.error(error.data?.code, error.data?.requestId),
    },
  );
  return () => subscription.unsubscribe();
}

export async function afterRestoration(token: string): Promise<DownloadCreated | undefined> {
  try {
    await client.orders.share.mutate({ token, to: 'friend@example.com', message: 'Look!' });
    await client.orders.resendEmail.mutate({ token, kind: 'restoration_complete' });
    const notifications: NotificationList = await client.notifications.list.query({ token });
    if (notifications.unreadCount > 0) await client.notifications.markRead.mutate({ token });
    return await client.downloads.create.mutate({ token, kind: 'restored' });
  } catch (error) {
    if (isRestoreClickError(error) && error.data?.code === 'NOT_FOUND') return undefined;
    if (isUploadError(error)) throw new Error(error.message);
    throw error;
  }
}
