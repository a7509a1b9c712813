/** Sent when we refund photos we could not restore: which ones and why, how much, and whether it is all of it. */
import { countOf, formatMoney } from './formatting';
import {
  bulletList,
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
import { displayName, emailSubject, singleLine, truncate } from './text-cleaning';

export interface RefundedPhoto {
  filename: string;
  reason: string;
}

export interface ImagesRefundedEmailData {
  customerName: string | null;
  orderNumber: string;
  orderUrl: string;
  refundedPhotos: RefundedPhoto[];
  /** Integer minor units of `currency`. */
  amountRefunded: number;
  currency: string;
  /** The whole order was refunded. */
  fullRefund: boolean;
  supportEmail: string;
}

const MAX_FILENAME_LENGTH = 120;
const MAX_REASON_LENGTH = 300;

function refundLine(photo: RefundedPhoto): string {
  const filename = truncate(singleLine(photo.filename), MAX_FILENAME_LENGTH) || 'Unnamed photo';
  const reason = truncate(singleLine(photo.reason), MAX_REASON_LENGTH);
  return reason ? `${filename}: ${reason}` : filename;
}

export function imagesRefundedEmail(data: ImagesRefundedEmailData): EmailTemplate {
  const name = displayName(data.customerName);
  const greeting = name ? `Hi ${name},` : 'Hi there,';
  const orderNumber = singleLine(data.orderNumber);
  const supportEmail = singleLine(data.supportEmail);
  const amount = formatMoney(data.amountRefunded, data.currency);
  const lines = data.refundedPhotos.map(refundLine);
  const photos = countOf(lines.length, 'photo');

  const title = data.fullRefund ? 'Your order has been refunded' : 'We refunded part of your order';
  const summary = data.fullRefund
    ? `We have refunded your order in full: ${amount} is on its way back to your original payment method.`
    : `We have refunded ${amount} for ${photos} we could not restore. The refund goes back to your original payment method.`;
  const listIntro =
    lines.length === 1 ? 'The refunded photo:' : lines.length > 1 ? 'The refunded photos:' : null;
  const rest = data.fullRefund
    ? null
    : 'The rest of your order is not affected; we will email you when your restored photos are ready, if we have not already.';
  const timing = 'Refunds usually take 5 to 10 business days to appear on your statement.';
  const questions = `Questions? Write to ${supportEmail} and mention order ${orderNumber}.`;

  return {
    subject: emailSubject(
      data.fullRefund
        ? `Your RestoreClick order ${orderNumber} has been refunded`
        : `Refund of ${amount} for ${photos} in order ${orderNumber}`,
    ),
    preview: summary,
    body: markup`${heading(title)}
      ${paragraph(greeting)}
      ${paragraph(summary)}
      ${listIntro ? [paragraph(listIntro), bulletList(lines)] : null}
      ${detailsTable([
        ['Order number', orderNumber],
        ['Amount refunded', amount],
      ])}
      ${rest ? paragraph(rest) : null}
      ${paragraph(timing)}
      ${button('View your order', data.orderUrl)}
      ${smallPrint(questions)}`,
    footer: markup`You are receiving this email about order ${orderNumber} at RestoreClick.`,
    text: plainText(
      greeting,
      summary,
      listIntro && `${listIntro}\n${lines.map((line) => `- ${line}`).join('\n')}`,
      `Order number: ${orderNumber}\nAmount refunded: ${amount}`,
      rest,
      timing,
      textLink('View your order', data.orderUrl),
      questions,
    ),
  };
}
