/**
 * Where events go: the URL given to `startLocalStripe({ webhookUrl })` (or `setWebhookUrl`), which receives
 * every event, plus endpoints created with `POST /v1/webhook_endpoints` for chosen event types. All of them
 * sign with the one secret given in the options, so the app under test needs one `STRIPE_WEBHOOK_SECRET`.
 */
import type { WebhookTarget } from './delivery';
import { invalidParam } from './errors';
import { LIST_PARAMS, paginate } from './list';
import {
  API_VERSION,
  type ListObject,
  newId,
  nowSeconds,
  type WebhookEndpointObject,
} from './objects';
import type { FormParams } from './params';
import type { LocalStripeStore } from './store';

export const DEFAULT_ENDPOINT_ID = 'we_local_default';

export class WebhookEndpoints {
  constructor(
    private readonly store: LocalStripeStore,
    private readonly secret: string,
    private defaultUrl: string | undefined,
  ) {}

  setDefaultUrl(url: string | undefined): void {
    if (url !== undefined && !URL.canParse(url)) throw new Error(`Not a webhook URL: ${url}`);
    this.defaultUrl = url;
  }

  targets(): WebhookTarget[] {
    const configured: WebhookTarget[] = this.defaultUrl
      ? [
          {
            endpointId: DEFAULT_ENDPOINT_ID,
            url: this.defaultUrl,
            secret: this.secret,
            enabledEvents: ['*'],
          },
        ]
      : [];
    const created = this.store.webhookEndpoints
      .all()
      .filter((endpoint) => endpoint.status === 'enabled')
      .map((endpoint) => ({
        endpointId: endpoint.id,
        url: endpoint.url,
        secret: this.secret,
        enabledEvents: endpoint.enabled_events,
      }));
    return [...configured, ...created];
  }

  /** Stripe shows an endpoint's secret only in the answer to its creation. */
  create(params: FormParams): WebhookEndpointObject & { secret: string } {
    params.allowOnly(['url', 'enabled_events', 'description', 'metadata', 'api_version', 'expand']);
    const url = params.url('url');
    if (url === undefined)
      throw invalidParam('url', 'Missing required param: url.', 'parameter_missing');
    const enabledEvents = params.strings('enabled_events');
    if (!enabledEvents || enabledEvents.length === 0) {
      throw invalidParam(
        'enabled_events',
        'Missing required param: enabled_events.',
        'parameter_missing',
      );
    }
    const endpoint: WebhookEndpointObject = {
      id: newId('we'),
      object: 'webhook_endpoint',
      api_version: params.string('api_version') ?? API_VERSION,
      application: null,
      created: nowSeconds(),
      description: params.string('description') ?? null,
      enabled_events: enabledEvents,
      livemode: false,
      metadata: params.metadata(),
      status: 'enabled',
      url,
    };
    this.store.webhookEndpoints.add(endpoint);
    return { ...endpoint, secret: this.secret };
  }

  list(params: FormParams): ListObject<WebhookEndpointObject> {
    params.allowOnly(LIST_PARAMS);
    return paginate(this.store.webhookEndpoints.all(), params, {
      url: '/v1/webhook_endpoints',
      objectName: 'webhook_endpoint',
      idOf: (endpoint) => endpoint.id,
      createdOf: (endpoint) => endpoint.created,
    });
  }

  delete(id: string): { id: string; object: 'webhook_endpoint'; deleted: true } {
    this.store.webhookEndpoints.get(id);
    this.store.webhookEndpoints.delete(id);
    return { id, object: 'webhook_endpoint', deleted: true };
  }
}
