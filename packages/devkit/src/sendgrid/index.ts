/** The local SendGrid-compatible server's public surface. */
export {
  startLocalSendGrid,
  type LocalSendGrid,
  type LocalSendGridOptions,
  type ReceivedMessage,
} from './local-sendgrid';
export type { ScriptedAnswer } from './scripted-answers';
export type {
  ReceivedAddress,
  ReceivedAttachment,
  ReceivedMail,
  ReceivedPersonalization,
} from './validate-mail-send';
export type { SendGridErrorBody, SendGridErrorItem } from './errors';
