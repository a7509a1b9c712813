/**
 * The upload page's basket: photos go up one at a time (so each server answer belongs to exactly one file and
 * the order matches the customer's choice), each with its own progress and the API's verdict.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { isRestoreClickError, isUploadError, uploadPhotos } from '@restoreclick/sdk';
import { client } from '../client';
import { errorMessage } from '../error-message';
import {
  forgetUploadSession,
  rememberedUploadSession,
  rememberUploadSession,
} from './upload-session-storage';

export type BasketPhotoState =
  'waiting' | 'uploading' | 'uploaded' | 'rejected' | 'failed' | 'removing';

export interface BasketPhoto {
  key: string;
  name: string;
  bytes: number;
  /** A local preview of a photo chosen on this page; none for photos listed back from the API. */
  previewUrl: string | null;
  state: BasketPhotoState;
  loadedBytes: number;
  /** The API's id once stored. */
  uploadId: string | null;
  /** The API's reason for refusing it, or why it could not be sent or removed. */
  error: string | null;
}

export interface PhotoBasket {
  photos: BasketPhoto[];
  uploadSessionId: string | null;
  /** True while photos are waiting, going up or being removed. */
  busy: boolean;
  addFiles: (files: readonly File[]) => void;
  removePhoto: (key: string) => Promise<void>;
}

let nextKey = 0;
const newKey = () => `photo-${(nextKey += 1)}`;

function isSessionGone(error: unknown): boolean {
  const code = isUploadError(error)
    ? error.code
    : isRestoreClickError(error)
      ? error.data?.appCode
      : undefined;
  return code === 'NOT_FOUND' || code === 'GONE';
}

export function usePhotoBasket(): PhotoBasket {
  const [photos, setPhotos] = useState<BasketPhoto[]>([]);
  const [uploadSessionId, setUploadSessionId] = useState(rememberedUploadSession);
  const sessionIdRef = useRef(uploadSessionId);
  const creatingSession = useRef<Promise<string> | null>(null);
  const files = useRef(new Map<string, File>());
  const photosRef = useRef(photos);
  const queue = useRef(Promise.resolve());

  useEffect(() => {
    photosRef.current = photos;
  }, [photos]);

  const update = useCallback((key: string, patch: Partial<BasketPhoto>) => {
    setPhotos((list) => list.map((photo) => (photo.key === key ? { ...photo, ...patch } : photo)));
  }, []);

  const drop = useCallback((key: string) => {
    const previewUrl = photosRef.current.find((photo) => photo.key === key)?.previewUrl;
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    files.current.delete(key);
    setPhotos((list) => list.filter((photo) => photo.key !== key));
  }, []);

  const switchSession = useCallback((id: string | null) => {
    sessionIdRef.current = id;
    setUploadSessionId(id);
    if (id) rememberUploadSession(id);
    else forgetUploadSession();
  }, []);

  const ensureSession = useCallback((): Promise<string> => {
    if (sessionIdRef.current) return Promise.resolve(sessionIdRef.current);
    creatingSession.current ??= client.uploads.createSession.mutate().then(
      (session) => {
        creatingSession.current = null;
        switchSession(session.uploadSessionId);
        return session.uploadSessionId;
      },
      (error: unknown) => {
        creatingSession.current = null;
        throw error;
      },
    );
    return creatingSession.current;
  }, [switchSession]);

  const uploadOne = useCallback(
    async (key: string) => {
      const file = files.current.get(key);
      if (!file) return; // removed while it waited
      update(key, { state: 'uploading', error: null });
      try {
        const sessionId = await ensureSession();
        const result = await uploadPhotos(client, sessionId, [file], {
          onProgress: (_index, loadedBytes) => update(key, { loadedBytes }),
        });
        const stored = result.uploaded[0];
        if (stored) {
          update(key, { state: 'uploaded', uploadId: stored.id, loadedBytes: file.size });
        } else {
          update(key, {
            state: 'rejected',
            error: result.rejected[0]?.message ?? 'This photo was not accepted.',
          });
        }
      } catch (error) {
        // An expired basket cannot take more photos: the next one starts a new basket.
        if (isSessionGone(error)) switchSession(null);
        update(key, { state: 'failed', error: errorMessage(error) });
      }
    },
    [ensureSession, update, switchSession],
  );

  const addFiles = useCallback(
    (chosen: readonly File[]) => {
      const added = chosen.map((file): BasketPhoto => {
        const key = newKey();
        files.current.set(key, file);
        return {
          key,
          name: file.name,
          bytes: file.size,
          previewUrl: file.type.startsWith('image/') ? URL.createObjectURL(file) : null,
          state: 'waiting',
          loadedBytes: 0,
          uploadId: null,
          error: null,
        };
      });
      setPhotos((list) => [...list, ...added]);
      for (const photo of added) {
        queue.current = queue.current.then(() => uploadOne(photo.key));
      }
    },
    [uploadOne],
  );

  const removePhoto = useCallback(
    async (key: string) => {
      const photo = photosRef.current.find((item) => item.key === key);
      if (!photo || photo.state === 'uploading' || photo.state === 'removing') return;
      const sessionId = sessionIdRef.current;
      if (photo.state !== 'uploaded' || !photo.uploadId || !sessionId) {
        drop(key); // never stored: nothing to remove on the server
        return;
      }
      update(key, { state: 'removing', error: null });
      try {
        await client.uploads.remove.mutate({
          uploadSessionId: sessionId,
          uploadId: photo.uploadId,
        });
        drop(key);
      } catch (error) {
        update(key, { state: 'uploaded', error: errorMessage(error) });
      }
    },
    [drop, update],
  );

  // A customer back from the payment page (or a reload) finds the photos already in the basket.
  useEffect(() => {
    const sessionId = sessionIdRef.current;
    if (!sessionId) return;
    let cancelled = false;
    client.uploads.list.query({ uploadSessionId: sessionId }).then(
      (stored) => {
        if (cancelled) return;
        setPhotos((list) => [
          ...stored.map((upload): BasketPhoto => ({
            key: newKey(),
            name: upload.filename,
            bytes: upload.bytes,
            previewUrl: null,
            state: 'uploaded',
            loadedBytes: upload.bytes,
            uploadId: upload.id,
            error: null,
          })),
          ...list,
        ]);
      },
      (error: unknown) => {
        if (!cancelled && isSessionGone(error)) switchSession(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [switchSession]);

  return {
    photos,
    uploadSessionId,
    busy: photos.some(
      (photo) =>
        photo.state === 'waiting' || photo.state === 'uploading' || photo.state === 'removing',
    ),
    addFiles,
    removePhoto,
  };
}
