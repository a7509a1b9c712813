/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the API when it is not served from the same origin (empty: same origin, via the proxy). */
  readonly VITE_API_URL?: string;
}
