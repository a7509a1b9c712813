/**
 * Sent to a friend when a customer shares restored photos: who shared them, the customer's own message (free
 * text, shown as text with its line breaks), and where the photos are.
 */
import { countOf } from './formatting';
import { button, type EmailTemplate, paragraph, plainText, smallPrint, textLink } from './layout';
import { markup, multilineMarkup } from './markup';
import { safeHttpUrl } from './safe-url';
import { displayName, emailSubject, multilineText, singleLine, truncate } from './text-cleaning';

export interface ShareEmailData {
  senderName: string | null;
  senderEmail: string;
  /** The customer's own words, as typed. */
  message: string | null;
  orderNumber: string;
  viewUrl: string | null;
  photoCount: number;
  /** The photos are attached to this email. */
  attachmentsIncluded: boolean;
}

/** Long enough for a personal note, short enough that the email stays about the photos. */
const MAX_MESSAGE_LENGTH = 2_000;
/** The sender appears in the subject, so a long name cannot push the rest of it out of view. */
const MAX_SENDER_IN_SUBJECT = 60;

export function shareEmail(data: ShareEmailData): EmailTemplate {
  const senderEmail = singleLine(data.senderEmail);
  const senderName = displayName(data.senderName);
  const sender = senderName ?? senderEmail;
  const senderWithAddress = senderName ? `${senderName} (${senderEmail})` : senderEmail;
  const message = data.message ? truncate(multilineText(data.message), MAX_MESSAGE_LENGTH) : '';
  const viewUrl = safeHttpUrl(data.viewUrl);
  const photos = countOf(data.photoCount, 'restored photo');
  const them = data.photoCount === 1 ? 'It is' : 'They are';
  const where = data.attachmentsIncluded
    ? viewUrl
      ? `${them} attached to this email, and you can also view ${data.photoCount === 1 ? 'it' : 'them'} online.`
      : `${them} attached to this email.`
    : viewUrl
      ? `You can view ${data.photoCount === 1 ? 'it' : 'them'} online from the link below.`
      : null;
  const intro = `${senderWithAddress} shared ${photos} with you using RestoreClick, a service that restores old photos.`;
  const why = `You received this email because ${senderEmail} entered your address to share photos with you. We do not add you to any mailing list.`;
  const reference = `Reference: order ${singleLine(data.orderNumber)}.`;

  return {
    subject: emailSubject(
      `${truncate(sender, MAX_SENDER_IN_SUBJECT)} shared ${data.photoCount === 1 ? 'a restored photo' : 'restored photos'} with you`,
    ),
    preview: message ? truncate(singleLine(message), 120) : intro,
    body: markup`${paragraph(intro)}
      ${
        message
          ? markup`<mj-text padding="0 0 8px 0" font-size="14px" color="#6b7280">Message from ${sender}:</mj-text>
      <mj-text padding="0 0 16px 0"><div style="padding:12px 16px;border-left:3px solid #d1d5db;background-color:#f9fafb;">${multilineMarkup(message)}</div></mj-text>`
          : null
      }
      ${where ? paragraph(where) : null}
      ${button(data.photoCount === 1 ? 'View the photo' : 'View the photos', viewUrl)}
      ${smallPrint(reference)}`,
    footer: markup`${why}`,
    text: plainText(
      intro,
      message && `Message from ${sender}:\n\n${message}`,
      where,
      textLink(data.photoCount === 1 ? 'View the photo' : 'View the photos', viewUrl),
      reference,
      why,
    ),
  };
}
