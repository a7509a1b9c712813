/**
 * Plain Node ESM using the installed tarball against a running API (RESTORECLICK_API_URL): the customer journey
 * up to payment, and the errors a storefront handles. Prints what it saw as JSON for the pack test to check.
 */
import { readFile } from 'node:fs/promises';
import { createClient, isRestoreClickError, isUploadError, uploadPhotos } from '@restoreclick/sdk';
import { TinyEventSource } from './tiny-event-source.mjs';

const url = process.env.RESTORECLICK_API_URL;
const photoPath = process.env.PHOTO_PATH;
if (!url || !photoPath) throw new Error('Set RESTORECLICK_API_URL and PHOTO_PATH.');

const client = createClient({ url, EventSource: TinyEventSource });
const seen = {};

/** The first update of a subscription, or its error; gives up after `timeoutMs`. */
function firstUpdate(subscribe, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`no update within ${timeoutMs} ms`));
    }, timeoutMs);
    const subscription = subscribe({
      onData(update) {
        clearTimeout(timer);
        subscription.unsubscribe();
        resolve(update);
      },
      onError(error) {
        clearTimeout(timer);
        subscription.unsubscribe();
        reject(error);
      },
    });
  });
}

/** The error a promise rejects with (undefined if it resolves). */
function caught(promise) {
  return promise.then(
    () => undefined,
    (error) => error,
  );
}

const health = await client.health.query();
seen.health = { ok: health.ok };

const session = await client.uploads.createSession.mutate();
seen.session = { uploadSessionId: session.uploadSessionId, maxFiles: session.limits.maxFiles };

const photo = new File([await readFile(photoPath)], 'grandma.jpg', { type: 'image/jpeg' });
const notAPhoto = new File(['shopping list'], 'notes.txt', { type: 'text/plain' });
const progress = [];
const sent = await uploadPhotos(client, session.uploadSessionId, [photo, notAPhoto], {
  onProgress: (fileIndex, loaded, total) => progress.push([fileIndex, loaded, total]),
});
seen.upload = {
  uploaded: sent.uploaded.map((upload) => upload.filename),
  rejected: sent.rejected.map(({ filename, code, message }) => ({ filename, code, message })),
  progress,
  photoBytes: photo.size,
};
seen.listed = (await client.uploads.list.query({ uploadSessionId: session.uploadSessionId })).map(
  (upload) => upload.filename,
);

// The API checks the session photo by photo: an unknown one comes back as a rejection...
const expired = await uploadPhotos({ url }, '00000000-0000-4000-8000-000000000000', [photo]);
seen.unknownSession = expired.rejected.map(({ code }) => code);
// ...while a request it cannot take at all throws.
const refused = await caught(uploadPhotos({ url }, 'not-a-session-id', [photo]));
seen.refusedRequest = {
  isUploadError: isUploadError(refused),
  code: refused?.code,
  status: refused?.status,
  requestId: refused?.requestId,
};

const checkout = await client.checkout.create.mutate({
  uploadSessionId: session.uploadSessionId,
  email: 'ada@example.com',
  name: 'Ada Lovelace',
});
seen.checkout = { orderId: checkout.orderId, checkoutUrl: checkout.checkoutUrl };

const order = await client.orders.get.query({ token: checkout.accessToken });
seen.order = { id: order.id, status: order.status, images: order.images.map((i) => i.filename) };

const update = await firstUpdate((handlers) =>
  client.orders.watch.subscribe({ token: checkout.accessToken }, handlers),
);
seen.watch = { id: update.id, orderId: update.data.id, version: update.data.version };

const missing = await caught(client.orders.get.query({ token: 'no-such-order' }));
seen.missingOrder = {
  isRestoreClickError: isRestoreClickError(missing),
  code: missing?.data?.code,
  requestId: missing?.data?.requestId,
};

// Node 20 has no EventSource: a client made without one explains what to pass.
const withoutEventSource = createClient({ url });
const noEventSource = await caught(
  firstUpdate((handlers) =>
    withoutEventSource.orders.watch.subscribe({ token: checkout.accessToken }, handlers),
  ),
);
seen.noEventSource = {
  isRestoreClickError: isRestoreClickError(noEventSource),
  code: noEventSource?.data?.code,
  message: noEventSource?.message,
};

console.log(JSON.stringify(seen));
