/**
 * Renders one email of a given kind to subject, responsive HTML (MJML) and plain text. Every value from the
 * caller is escaped or cleaned by the templates, so customer text can never become markup or a header line.
 */
import { imagesRefundedEmail, type ImagesRefundedEmailData } from './templates/images-refunded';
import { type EmailTemplate, type RenderedEmail, renderTemplate } from './templates/layout';
import {
  orderConfirmationEmail,
  type OrderConfirmationEmailData,
} from './templates/order-confirmation';
import {
  restorationCompleteEmail,
  type RestorationCompleteEmailData,
} from './templates/restoration-complete';
import { shareEmail, type ShareEmailData } from './templates/share';

/** One email to render: its `kind` and, beside it, the data that kind needs. */
export type EmailTemplateInput =
  | ({ kind: 'order_confirmation' } & OrderConfirmationEmailData)
  | ({ kind: 'restoration_complete' } & RestorationCompleteEmailData)
  | ({ kind: 'share' } & ShareEmailData)
  | ({ kind: 'images_refunded' } & ImagesRefundedEmailData);

export type EmailTemplateKind = EmailTemplateInput['kind'];

export type { RenderedEmail };

function template(input: EmailTemplateInput): EmailTemplate {
  switch (input.kind) {
    case 'order_confirmation':
      return orderConfirmationEmail(input);
    case 'restoration_complete':
      return restorationCompleteEmail(input);
    case 'share':
      return shareEmail(input);
    case 'images_refunded':
      return imagesRefundedEmail(input);
  }
}

/** Async because MJML 5 renders asynchronously. */
export async function renderEmail(input: EmailTemplateInput): Promise<RenderedEmail> {
  return renderTemplate(template(input));
}
