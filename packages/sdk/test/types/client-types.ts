/**
 * Compile-time checks against the BUILT package (dist), as a storefront developer would use it. Type-checked by
 * `tsc -p tsconfig.dist-test.json`; each `@ts-expect-error` fails the build if the error it expects goes away.
 */
import {
  type AppErrorCode,
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
  type RestoreClickClient,
  uploadPhotos,
  type UploadPhotosResult,
  type UploadSession,
} from '../../dist/index.js';

const client = createClient({ url: 'http://localhost:3000' });

export async function typedHealth(): Promise<boolean> {
  const report: HealthReport = await client.health.query();
  const database: boolean = report.checks.db.ok;
  return database && report.ok;
}

export async function misspelledProcedure(): Promise<void> {
  // @ts-expect-error `helth` is not a procedure of the storefront API
  await client.helth.query();
}

export async function adminProceduresAreNotInTheSdk(): Promise<void> {
  // @ts-expect-error the storefront client carries no admin procedures
  await client.admin.health.query();
}

export function wrongOutputType(report: HealthReport): void {
  // @ts-expect-error `ok` is a boolean, not a string
  const status: string = report.ok;
  void status;
}

export async function customerJourneyIsTyped(photos: File[]): Promise<void> {
  const session: UploadSession = await client.uploads.createSession.mutate();
  const sent: UploadPhotosResult = await uploadPhotos(client, session.uploadSessionId, photos, {
    onProgress: (fileIndex: number, loaded: number, total: number) =>
      void [fileIndex, loaded, total],
  });
  const firstRefusal: AppErrorCode | undefined = sent.rejected[0]?.code;
  void firstRefusal;
  const checkout: CheckoutCreated = await client.checkout.create.mutate({
    uploadSessionId: session.uploadSessionId,
    email: 'ada@example.com',
    name: 'Ada',
  });
  const order: CustomerOrder = await client.orders.get.query({ token: checkout.accessToken });
  const image: OrderImage | undefined = order.images[0];
  // Dates arrive as ISO strings over JSON.
  const placedAt: string = order.createdAt;
  void [image, placedAt];
  const download: DownloadCreated = await client.downloads.create.mutate({
    token: checkout.accessToken,
    kind: 'restored',
  });
  const notifications: NotificationList = await client.notifications.list.query({
    token: checkout.accessToken,
  });
  void [download.url, notifications.unreadCount];
  const subscription = client.orders.watch.subscribe(
    { token: checkout.accessToken },
    { onData: (update: OrderUpdate) => void update.data.progressPercent },
  );
  subscription.unsubscribe();
}

export async function inputsAreChecked(token: string): Promise<void> {
  // @ts-expect-error orders.get needs the access token
  await client.orders.get.query({});
  // @ts-expect-error `everything` is not a download kind
  await client.downloads.create.mutate({ token, kind: 'everything' });
  // @ts-expect-error only the order confirmation and the restoration email can be resent
  await client.orders.resendEmail.mutate({ token, kind: 'invoice' });
}

export function statusIsAUnion(order: CustomerOrder): void {
  // @ts-expect-error `shipped` is not an order status
  if (order.status === 'shipped') return;
}

/** Anything shaped like the browser's EventSource can stand in for it (Node needs one). */
export function acceptsAnEventSourcePonyfill(ponyfill: typeof EventSource): RestoreClickClient {
  // @ts-expect-error an EventSource must be a constructor
  createClient({ url: 'http://localhost:3000', EventSource: () => undefined });
  return createClient({ url: 'http://localhost:3000', EventSource: ponyfill });
}

export function uploadErrorsAreTyped(error: unknown): string | undefined {
  if (isUploadError(error)) return `${error.code} ${error.status} ${error.requestId ?? ''}`;
  if (isRestoreClickError(error)) return error.data?.requestId ?? undefined;
  return undefined;
}
