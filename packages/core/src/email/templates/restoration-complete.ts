/**
 * Sent when every photo of an order has an outcome: how many were restored, which failed and why, whether the
 * restored files are attached or to be downloaded, and when we delete them.
 */
import { formatDateTime } from './formatting';
import {
  bulletList,
  button,
  type EmailTemplate,
  heading,
  link,
  paragraph,
  plainText,
  smallPrint,
  textLink,
} from './layout';
import { markup } from './markup';
import { safeHttpUrl } from './safe-url';
import { displayName, emailSubject, singleLine, truncate } from './text-cleaning';

export interface RestoredPhotoOutcome {
  filename: string;
  status: 'restored' | 'failed';
  /** Why it failed, in words a customer understands. */
  reason?: string | null;
}

export interface RestorationCompleteEmailData {
  customerName: string | null;
  orderNumber: string;
  orderUrl: string;
  downloadUrl: string | null;
  photos: RestoredPhotoOutcome[];
  /** The restored files are attached to this email. */
  attachmentsIncluded: boolean;
  /** When we delete the files from our servers; null when we keep them. */
  deleteAfter: Date | null;
  supportEmail: string;
}

const MAX_FILENAME_LENGTH = 120;
const MAX_REASON_LENGTH = 300;

function failureLine(photo: RestoredPhotoOutcome): string {
  const filename = truncate(singleLine(photo.filename), MAX_FILENAME_LENGTH) || 'Unnamed photo';
  const reason = photo.reason ? truncate(singleLine(photo.reason), MAX_REASON_LENGTH) : '';
  return reason ? `${filename}: ${reason}` : filename;
}

function summary(restored: number, total: number): string {
  if (total === 0) return 'Your order has been processed.';
  if (restored === total) {
    return total === 1
      ? 'Your photo has been restored.'
      : `All ${total} photos in your order have been restored.`;
  }
  if (restored === 0) {
    return total === 1
      ? 'Unfortunately we could not restore your photo.'
      : `Unfortunately we could not restore any of your ${total} photos.`;
  }
  return `${restored} of your ${total} photos ${restored === 1 ? 'has' : 'have'} been restored.`;
}

function deliverySentence(
  restored: number,
  attached: boolean,
  downloadable: boolean,
): string | null {
  if (restored === 0) return null;
  const subject = restored === 1 ? 'Your restored photo is' : 'Your restored photos are';
  const them = restored === 1 ? 'it' : 'them';
  if (attached) {
    return downloadable
      ? `${subject} attached to this email. You can also download ${them} from the link below.`
      : `${subject} attached to this email.`;
  }
  return downloadable
    ? `${subject} ready to download from the link below.`
    : `${subject} ready to download from your order page.`;
}

export function restorationCompleteEmail(data: RestorationCompleteEmailData): EmailTemplate {
  const name = displayName(data.customerName);
  const greeting = name ? `Hi ${name},` : 'Hi there,';
  const orderNumber = singleLine(data.orderNumber);
  const supportEmail = singleLine(data.supportEmail);
  const total = data.photos.length;
  const restored = data.photos.filter((photo) => photo.status === 'restored').length;
  const failures = data.photos.filter((photo) => photo.status === 'failed').map(failureLine);
  const downloadUrl = restored > 0 ? safeHttpUrl(data.downloadUrl) : null;

  const title =
    restored === 0 && total > 0
      ? `We could not restore your ${total === 1 ? 'photo' : 'photos'}`
      : failures.length > 0
        ? `${restored} of ${total} photos restored`
        : restored === 1
          ? 'Your restored photo is ready'
          : 'Your restored photos are ready';
  const delivery = deliverySentence(restored, data.attachmentsIncluded, downloadUrl !== null);
  const failureIntro =
    failures.length === 1
      ? 'We could not restore this photo:'
      : 'We could not restore these photos:';
  const deletion = data.deleteAfter
    ? `For your privacy, we will delete your photos from our servers on ${formatDateTime(data.deleteAfter)}. Please download anything you want to keep before then.`
    : null;
  const questions = `Questions? Write to ${supportEmail} and mention order ${orderNumber}.`;

  return {
    subject: emailSubject(`${title} (order ${orderNumber})`),
    preview: `${summary(restored, total)} ${delivery ?? ''}`.trim(),
    body: markup`${heading(title)}
      ${paragraph(greeting)}
      ${paragraph(summary(restored, total))}
      ${delivery ? paragraph(delivery) : null}
      ${failures.length > 0 ? [paragraph(failureIntro), bulletList(failures)] : null}
      ${downloadUrl ? button(restored === 1 ? 'Download your photo' : 'Download your photos', downloadUrl) : button('View your order', data.orderUrl)}
      ${deletion ? paragraph(deletion) : null}
      ${smallPrint(downloadUrl ? markup`${link('View your order', data.orderUrl)} · ${questions}` : questions)}`,
    footer: markup`You are receiving this email about order ${orderNumber} at RestoreClick.`,
    text: plainText(
      greeting,
      summary(restored, total),
      delivery,
      failures.length > 0 && `${failureIntro}\n${failures.map((line) => `- ${line}`).join('\n')}`,
      downloadUrl &&
        textLink(restored === 1 ? 'Download your photo' : 'Download your photos', downloadUrl),
      textLink('View your order', data.orderUrl),
      deletion,
      questions,
    ),
  };
}
