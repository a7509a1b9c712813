/** What the operations on the local Stripe account share: its state, its event log and its clocks. */
import type { EventLog } from './events';
import type { LocalStripeStore } from './store';

export interface AccountContext {
  store: LocalStripeStore;
  events: EventLog;
  /** Where a checkout session's hosted page is served. */
  hostedPageUrl(sessionId: string): string;
  /** Settles a bank transfer after the configured delay, unless something settles it first. */
  settlements: {
    schedule(sessionId: string, settle: () => void): void;
    cancel(sessionId: string): void;
  };
}
