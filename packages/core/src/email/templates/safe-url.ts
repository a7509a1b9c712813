/** Links in our emails: only absolute http(s) URLs are ever put in an href; anything else is left unlinked. */

/** The normalized URL when it is an absolute http or https URL, otherwise null. */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (!URL.canParse(trimmed)) return null;
  const url = new URL(trimmed);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href;
}
