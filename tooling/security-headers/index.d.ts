import type { Plugin } from 'vite';

export interface PolicySources {
  /** Origins the app may call besides its own (the API's, when VITE_API_URL points elsewhere). */
  connectSources?: string[];
  /** Where photos may load from; `https:` by default. */
  imageSources?: string[];
}

export function contentSecurityPolicy(sources?: PolicySources): string;
export function frontEndSecurityHeaders(
  options: PolicySources & { production: boolean },
): Record<string, string>;
export function headersFile(headers: Record<string, string>): string;
export function securityHeaders(): Plugin;
