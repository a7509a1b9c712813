/**
 * Validates a `POST /v3/mail/send` body the way SendGrid does for the fields our transport uses
 * (personalizations, from, reply_to, subject, content, template_id, attachments, custom_args, categories),
 * collecting every error at once as SendGrid does, and turns a valid body into a typed, decoded message.
 */
import { fieldError, requestError, type SendGridErrorItem } from './errors';

export interface ReceivedAddress {
  email: string;
  name: string | null;
}

export interface ReceivedPersonalization {
  to: ReceivedAddress[];
  cc: ReceivedAddress[];
  bcc: ReceivedAddress[];
  subject: string | null;
  dynamicTemplateData: Record<string, unknown> | null;
  customArgs: Record<string, string>;
}

export interface ReceivedAttachment {
  filename: string;
  type: string | null;
  disposition: 'attachment' | 'inline';
  contentId: string | null;
  /** Decoded from base64. */
  content: Buffer;
}

/** A mail send that passed validation, in camelCase, with attachments decoded. */
export interface ReceivedMail {
  personalizations: ReceivedPersonalization[];
  from: ReceivedAddress;
  replyTo: ReceivedAddress | null;
  subject: string | null;
  content: Array<{ type: string; value: string }>;
  /** The `text/plain` content block, if any. */
  text: string | null;
  /** The `text/html` content block, if any. */
  html: string | null;
  templateId: string | null;
  attachments: ReceivedAttachment[];
  customArgs: Record<string, string>;
  categories: string[];
}

export type MailSendValidation =
  { ok: true; mail: ReceivedMail } | { ok: false; errors: SendGridErrorItem[] };

const MAX_PERSONALIZATIONS = 1000;
const MAX_RECIPIENTS = 1000;
const MAX_CATEGORIES = 10;
const MAX_CATEGORY_LENGTH = 255;
const MAX_CUSTOM_ARGS_BYTES = 10_000;
/** Dynamic template ids are `d-` and 32 hex digits; legacy template ids are GUIDs. */
const TEMPLATE_ID =
  /^(d-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Collector {
  readonly errors: SendGridErrorItem[] = [];

  add(field: string, message: string, helpAnchor?: string): void {
    this.errors.push(fieldError(field, message, helpAnchor));
  }
}

function readAddress(
  value: unknown,
  field: string,
  errors: Collector,
  invalidMessage: string,
): ReceivedAddress | null {
  if (!isObject(value) || typeof value.email !== 'string' || !EMAIL.test(value.email)) {
    errors.add(`${field}.email`, invalidMessage, field);
    return null;
  }
  if (value.name !== undefined && typeof value.name !== 'string') {
    errors.add(`${field}.name`, 'The name must be a string.', field);
    return null;
  }
  return { email: value.email, name: value.name ?? null };
}

function readStringMap(value: unknown, field: string, errors: Collector): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) {
    errors.add(field, 'Custom args must be an object whose values are strings.');
    return {};
  }
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') {
      errors.add(
        `${field}.${key}`,
        `Invalid type. Expected: string, given: ${typeof item}.`,
        field,
      );
      continue;
    }
    result[key] = item;
  }
  return result;
}

function readRecipients(
  value: unknown,
  field: string,
  required: boolean,
  errors: Collector,
): ReceivedAddress[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value) || value.length === 0) {
    if (required) {
      errors.add(
        field,
        'The to array is required for all personalization objects, and must have at least one email object with a valid email address.',
        'personalizations.to',
      );
    } else {
      errors.add(field, `The ${field.split('.').pop()} array must contain at least one address.`);
    }
    return [];
  }
  return value
    .map((item, index) =>
      readAddress(item, `${field}.${index}`, errors, 'Does not contain a valid address.'),
    )
    .filter((address): address is ReceivedAddress => address !== null);
}

function readPersonalizations(value: unknown, errors: Collector): ReceivedPersonalization[] {
  if (!Array.isArray(value) || value.length === 0) {
    errors.add(
      'personalizations',
      'The personalizations field is required and must have at least one personalization.',
    );
    return [];
  }
  if (value.length > MAX_PERSONALIZATIONS) {
    errors.add(
      'personalizations',
      `The personalization block is limited to ${MAX_PERSONALIZATIONS} personalizations per API request. You have provided ${value.length} personalizations. Please consider splitting this into multiple requests and resending your request.`,
    );
    return [];
  }
  const personalizations = value.map((item, index): ReceivedPersonalization => {
    const field = `personalizations.${index}`;
    const personalization = isObject(item) ? item : {};
    const to = readRecipients(personalization.to, `${field}.to`, true, errors);
    const cc = readRecipients(personalization.cc, `${field}.cc`, false, errors);
    const bcc = readRecipients(personalization.bcc, `${field}.bcc`, false, errors);
    const seen = new Set<string>();
    for (const [list, name] of [
      [to, 'to'],
      [cc, 'cc'],
      [bcc, 'bcc'],
    ] as const) {
      for (const address of list) {
        const key = address.email.toLowerCase();
        if (seen.has(key)) {
          errors.add(
            field,
            `Each email address in the personalization block should be unique between to, cc, and bcc. We found the first duplicate instance of [${address.email}] in the ${field}.${name} field.`,
            'personalizations',
          );
        }
        seen.add(key);
      }
    }
    if (personalization.subject !== undefined && typeof personalization.subject !== 'string') {
      errors.add(`${field}.subject`, 'The subject must be a string.', 'subject');
    }
    const data = personalization.dynamic_template_data;
    if (data !== undefined && !isObject(data)) {
      errors.add(
        `${field}.dynamic_template_data`,
        'The dynamic_template_data must be an object.',
        'personalizations.dynamic_template_data',
      );
    }
    return {
      to,
      cc,
      bcc,
      subject: typeof personalization.subject === 'string' ? personalization.subject : null,
      dynamicTemplateData: isObject(data) ? data : null,
      customArgs: readStringMap(personalization.custom_args, `${field}.custom_args`, errors),
    };
  });
  const recipients = personalizations.reduce(
    (sum, item) => sum + item.to.length + item.cc.length + item.bcc.length,
    0,
  );
  if (recipients > MAX_RECIPIENTS) {
    errors.add(
      'personalizations',
      `There is a limit of ${MAX_RECIPIENTS} total recipients (to + cc + bcc) per request.`,
    );
  }
  return personalizations;
}

function readContent(
  value: unknown,
  hasTemplate: boolean,
  errors: Collector,
): Array<{ type: string; value: string }> {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) {
    if (!hasTemplate) {
      errors.add(
        'content',
        'Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block. We typically suggest both text/plain and text/html blocks are included, but only one block is required.',
      );
    }
    return [];
  }
  if (!Array.isArray(value)) {
    errors.add('content', 'The content parameter must be an array of content blocks.');
    return [];
  }
  const blocks: Array<{ type: string; value: string }> = [];
  value.forEach((item, index) => {
    const block = isObject(item) ? item : {};
    if (typeof block.type !== 'string' || block.type === '') {
      errors.add(
        `content.${index}.type`,
        'The content type must be a string at least one character in length.',
      );
      return;
    }
    if (typeof block.value !== 'string' || block.value === '') {
      errors.add(
        `content.${index}.value`,
        'The content value must be a string at least one character in length.',
      );
      return;
    }
    blocks.push({ type: block.type, value: block.value });
  });
  const types = blocks.map((block) => block.type.toLowerCase());
  const plain = types.indexOf('text/plain');
  const html = types.indexOf('text/html');
  if (plain > 0 || (html >= 0 && html !== (plain === 0 ? 1 : 0))) {
    errors.add(
      'content',
      'If present, text/plain and text/html may only be provided in the order text/plain, text/html, followed by any other content.',
    );
  }
  return blocks;
}

function readAttachments(value: unknown, errors: Collector): ReceivedAttachment[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.add('attachments', 'The attachments parameter must be an array.');
    return [];
  }
  const attachments: ReceivedAttachment[] = [];
  value.forEach((item, index) => {
    const field = `attachments.${index}`;
    const attachment = isObject(item) ? item : {};
    let valid = true;
    if (typeof attachment.content !== 'string' || attachment.content === '') {
      errors.add(`${field}.content`, 'The attachment content is required.', 'attachments.content');
      valid = false;
    } else if (!BASE64.test(attachment.content)) {
      errors.add(
        `${field}.content`,
        'The attachment content must be base64 encoded.',
        'attachments.content',
      );
      valid = false;
    }
    if (typeof attachment.filename !== 'string' || attachment.filename === '') {
      errors.add(
        `${field}.filename`,
        'The attachment filename parameter is required.',
        'attachments.filename',
      );
      valid = false;
    }
    if (
      attachment.type !== undefined &&
      (typeof attachment.type !== 'string' ||
        attachment.type === '' ||
        /[;\r\n]/.test(attachment.type))
    ) {
      errors.add(
        `${field}.type`,
        "The attachment type cannot contain ';', or CRLF characters, and must be a string at least one character in length.",
        'attachments.type',
      );
      valid = false;
    }
    const disposition = attachment.disposition ?? 'attachment';
    if (disposition !== 'attachment' && disposition !== 'inline') {
      errors.add(
        `${field}.disposition`,
        'If present, the disposition of the attachment must be either inline or attachment.',
        'attachments.disposition',
      );
      valid = false;
    }
    if (disposition === 'inline' && typeof attachment.content_id !== 'string') {
      errors.add(
        `${field}.content_id`,
        'The content_id parameter is required if your attachment disposition is inline.',
        'attachments.content_id',
      );
      valid = false;
    }
    if (
      valid &&
      typeof attachment.content === 'string' &&
      typeof attachment.filename === 'string'
    ) {
      attachments.push({
        filename: attachment.filename,
        type: typeof attachment.type === 'string' ? attachment.type : null,
        disposition: disposition === 'inline' ? 'inline' : 'attachment',
        contentId: typeof attachment.content_id === 'string' ? attachment.content_id : null,
        content: Buffer.from(attachment.content, 'base64'),
      });
    }
  });
  return attachments;
}

function readCategories(value: unknown, errors: Collector): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    errors.add('categories', 'The categories parameter must be an array of strings.');
    return [];
  }
  if (value.length > MAX_CATEGORIES) {
    errors.add(
      'categories',
      `You may not have more than ${MAX_CATEGORIES} categories per request.`,
    );
  }
  value.forEach((category, index) => {
    if (category.length > MAX_CATEGORY_LENGTH) {
      errors.add(
        `categories.${index}`,
        `A category cannot have more than ${MAX_CATEGORY_LENGTH} characters.`,
        'categories',
      );
    }
  });
  return value;
}

export function validateMailSend(body: unknown): MailSendValidation {
  if (!isObject(body)) {
    return { ok: false, errors: [requestError('Bad Request: the body must be a JSON object.')] };
  }
  const errors = new Collector();

  const personalizations = readPersonalizations(body.personalizations, errors);

  let from: ReceivedAddress | null = null;
  if (!isObject(body.from)) {
    errors.add(
      'from',
      'The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.',
    );
  } else {
    from = readAddress(
      body.from,
      'from',
      errors,
      'The from email does not contain a valid address.',
    );
  }
  const replyTo =
    body.reply_to === undefined
      ? null
      : readAddress(
          body.reply_to,
          'reply_to',
          errors,
          'The reply_to email does not contain a valid address.',
        );

  let templateId: string | null = null;
  if (body.template_id !== undefined) {
    if (typeof body.template_id !== 'string' || !TEMPLATE_ID.test(body.template_id)) {
      errors.add(
        'template_id',
        `The template_id must be a valid GUID, you provided '${String(body.template_id)}'.`,
      );
    } else {
      templateId = body.template_id;
    }
  }
  const hasTemplate = body.template_id !== undefined;

  if (body.subject !== undefined && typeof body.subject !== 'string') {
    errors.add('subject', 'The subject must be a string.');
  }
  const subject = typeof body.subject === 'string' && body.subject !== '' ? body.subject : null;
  const everyPersonalizationHasSubject =
    personalizations.length > 0 && personalizations.every((item) => item.subject);
  if (!subject && !hasTemplate && !everyPersonalizationHasSubject) {
    errors.add(
      'subject',
      'The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.',
    );
  }

  const content = readContent(body.content, hasTemplate, errors);
  const attachments = readAttachments(body.attachments, errors);
  const customArgs = readStringMap(body.custom_args, 'custom_args', errors);
  if (Buffer.byteLength(JSON.stringify(customArgs)) > MAX_CUSTOM_ARGS_BYTES) {
    errors.add('custom_args', `The custom_args may not exceed ${MAX_CUSTOM_ARGS_BYTES} bytes.`);
  }
  const categories = readCategories(body.categories, errors);

  if (errors.errors.length > 0 || !from) return { ok: false, errors: errors.errors };
  const blockOf = (type: string) =>
    content.find((block) => block.type.toLowerCase() === type)?.value ?? null;
  return {
    ok: true,
    mail: {
      personalizations,
      from,
      replyTo,
      subject,
      content,
      text: blockOf('text/plain'),
      html: blockOf('text/html'),
      templateId,
      attachments,
      customArgs,
      categories,
    },
  };
}
