/** Remembers the basket's upload session for this tab, so a reload or a cancelled payment keeps the photos. */
const KEY = 'restoreclick.uploadSessionId';

// Storage can be unavailable (private modes, blocked cookies): the basket then lasts as long as the page.
function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function rememberedUploadSession(): string | null {
  return storage()?.getItem(KEY) ?? null;
}

export function rememberUploadSession(uploadSessionId: string): void {
  storage()?.setItem(KEY, uploadSessionId);
}

/** Called once the basket became an order (or expired): the next visit starts an empty basket. */
export function forgetUploadSession(): void {
  storage()?.removeItem(KEY);
}
