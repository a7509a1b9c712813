/**
 * The one-column RestoreClick layout every email kind shares, the building blocks the kinds compose, and the
 * MJML step that turns a template into responsive HTML.
 */
import { type Markup, markup, type MarkupValue } from './markup';
import { safeHttpUrl } from './safe-url';

export const BRAND_NAME = 'RestoreClick';

/** What one email kind produces before rendering: subject and text are final, `body` is MJML. */
export interface EmailTemplate {
  /** Already cleaned with `emailSubject`. */
  subject: string;
  /** The preheader most clients show beside the subject. */
  preview: string;
  /** `mj-text`/`mj-button`/`mj-table` elements for the single column. */
  body: Markup;
  /** Small print under the card (why you got this, whom to ask). */
  footer: Markup;
  text: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

const FONT_STACK =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const TEXT_COLOR = '#1f2937';
const MUTED_COLOR = '#6b7280';
const ACCENT_COLOR = '#1d4ed8';

export function heading(text: MarkupValue): Markup {
  return markup`<mj-text font-size="22px" line-height="30px" font-weight="700">${text}</mj-text>`;
}

export function paragraph(content: MarkupValue): Markup {
  return markup`<mj-text>${content}</mj-text>`;
}

/** A smaller, grey paragraph inside the card. */
export function smallPrint(content: MarkupValue): Markup {
  return markup`<mj-text font-size="14px" line-height="20px" color="${MUTED_COLOR}">${content}</mj-text>`;
}

/** The main call to action; nothing when the URL is not http(s). */
export function button(label: string, url: string | null): Markup {
  const href = safeHttpUrl(url);
  if (!href) return markup``;
  return markup`<mj-button href="${href}">${label}</mj-button>`;
}

/** An inline link; only the label, unlinked, when the URL is not http(s). */
export function link(label: MarkupValue, url: string | null): Markup {
  const href = safeHttpUrl(url);
  if (!href) return markup`${label}`;
  return markup`<a href="${href}" style="color:${ACCENT_COLOR};">${label}</a>`;
}

export function bulletList(items: readonly MarkupValue[]): Markup {
  if (items.length === 0) return markup``;
  return markup`<mj-text><ul style="margin:0;padding-left:20px;">${items.map(
    (item) => markup`<li style="margin:0 0 6px 0;">${item}</li>`,
  )}</ul></mj-text>`;
}

/** Label/value rows, e.g. the order summary. */
export function detailsTable(rows: ReadonlyArray<readonly [string, MarkupValue]>): Markup {
  return markup`<mj-table padding="0 0 16px 0" font-size="15px" line-height="22px">${rows.map(
    ([label, value]) =>
      markup`<tr><td style="padding:6px 16px 6px 0;color:${MUTED_COLOR};">${label}</td><td style="padding:6px 0;font-weight:600;">${value}</td></tr>`,
  )}</mj-table>`;
}

/** Paragraphs of the text version, blank-line separated, with the sign-off. */
export function plainText(...paragraphs: ReadonlyArray<string | null | false | undefined>): string {
  return [...paragraphs.filter((part): part is string => Boolean(part)), `— ${BRAND_NAME}`].join(
    '\n\n',
  );
}

/** `Label: https://…` for the text version; nothing when the URL is not http(s). */
export function textLink(label: string, url: string | null): string | null {
  const href = safeHttpUrl(url);
  return href ? `${label}:\n${href}` : null;
}

function document(template: EmailTemplate): string {
  return markup`<mjml lang="en">
  <mj-head>
    <mj-title>${template.subject}</mj-title>
    <mj-preview>${template.preview}</mj-preview>
    <mj-attributes>
      <mj-all font-family="${FONT_STACK}" />
      <mj-text font-size="16px" line-height="24px" color="${TEXT_COLOR}" padding="0 0 16px 0" />
      <mj-button background-color="${ACCENT_COLOR}" color="#ffffff" font-size="16px" font-weight="600" border-radius="6px" inner-padding="12px 24px" padding="8px 0 24px 0" align="left" />
      <mj-table color="${TEXT_COLOR}" />
    </mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f4f5" width="600px">
    <mj-section padding="24px 16px 12px 16px">
      <mj-column>
        <mj-text font-size="20px" font-weight="700" color="#111827" padding="0">${BRAND_NAME}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" border-radius="8px" padding="32px 32px 16px 32px">
      <mj-column>
        ${template.body}
      </mj-column>
    </mj-section>
    <mj-section padding="16px 16px 32px 16px">
      <mj-column>
        <mj-text font-size="12px" line-height="18px" color="${MUTED_COLOR}" align="center" padding="0">${template.footer}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`.value;
}

/** Renders the template's MJML to HTML; a template that MJML finds invalid is a bug, so it throws. */
export async function renderTemplate(template: EmailTemplate): Promise<RenderedEmail> {
  // Loaded on first use: MJML costs ~60 MiB of memory, and only the worker renders emails (the API, which
  // imports this package too, never does).
  const { default: mjml2html } = await import('mjml');
  const result = await mjml2html(document(template), {
    validationLevel: 'strict',
    // Our font stack is the system's own: no web font is fetched from a third party.
    fonts: {},
    keepComments: false,
  });
  if (result.errors.length > 0) {
    const details = result.errors.map((error) => error.formattedMessage).join('; ');
    throw new Error(`The email template produced invalid MJML: ${details}`);
  }
  return { subject: template.subject, html: result.html, text: template.text };
}
