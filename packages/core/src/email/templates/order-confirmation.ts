/** Sent once payment is confirmed: what was bought, what was paid, and that restoration has started. */
import { countOf, formatMoney } from './formatting';
import {
  button,
  detailsTable,
  type EmailTemplate,
  heading,
  paragraph,
  plainText,
  smallPrint,
  textLink,
} from './layout';
import { markup } from './markup';
import { displayName, emailSubject, singleLine } from './text-cleaning';

export interface OrderConfirmationEmailData {
  customerName: string | null;
  orderNumber: string;
  orderUrl: string;
  photoCount: number;
  /** Integer minor units of `currency`. */
  amountPaid: number;
  currency: string;
  supportEmail: string;
}

export function orderConfirmationEmail(data: OrderConfirmationEmailData): EmailTemplate {
  const name = displayName(data.customerName);
  const greeting = name ? `Hi ${name},` : 'Hi there,';
  const orderNumber = singleLine(data.orderNumber);
  const supportEmail = singleLine(data.supportEmail);
  const photos = countOf(data.photoCount, 'photo');
  const amount = formatMoney(data.amountPaid, data.currency);

  return {
    subject: emailSubject(`Your RestoreClick order ${orderNumber} is confirmed`),
    preview: `We received your payment of ${amount} and started restoring your ${photos}.`,
    body: markup`${heading('Thank you for your order')}
      ${paragraph(greeting)}
      ${paragraph(`We received your payment and have started restoring your ${photos}. We will email you again as soon as they are ready.`)}
      ${detailsTable([
        ['Order number', orderNumber],
        ['Photos', String(data.photoCount)],
        ['Amount paid', amount],
      ])}
      ${button('View your order', data.orderUrl)}
      ${smallPrint(`Questions about your order? Write to ${supportEmail} and mention order ${orderNumber}.`)}`,
    footer: markup`You are receiving this email because you placed order ${orderNumber} with RestoreClick.`,
    text: plainText(
      greeting,
      `Thank you for your order. We received your payment and have started restoring your ${photos}. We will email you again as soon as they are ready.`,
      [`Order number: ${orderNumber}`, `Photos: ${data.photoCount}`, `Amount paid: ${amount}`].join(
        '\n',
      ),
      textLink('View your order', data.orderUrl),
      `Questions about your order? Write to ${supportEmail} and mention order ${orderNumber}.`,
    ),
  };
}
