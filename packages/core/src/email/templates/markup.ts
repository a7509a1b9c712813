/**
 * Builds MJML/HTML with escaping as the default: every value interpolated into `markup` is escaped unless it
 * is itself `Markup`, so customer text (`<script>`, `</mj-text>`, `<mj-raw>`) always comes out as text.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/** A fragment of MJML or HTML that is already safe to emit as is. */
export class Markup {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export type MarkupValue = Markup | string | number | null | undefined | readonly MarkupValue[];

function render(value: MarkupValue): string {
  if (value == null) return '';
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: `markup\`<mj-text>Hi ${name}</mj-text>\`` escapes `name`; nested `Markup` passes through. */
export function markup(strings: TemplateStringsArray, ...values: MarkupValue[]): Markup {
  let result = strings[0] ?? '';
  values.forEach((value, index) => {
    result += render(value) + (strings[index + 1] ?? '');
  });
  return new Markup(result);
}

/** Customer free text as HTML: escaped, each line break kept as `<br />`. */
export function multilineMarkup(text: string): Markup {
  return new Markup(text.split('\n').map(escapeHtml).join('<br />'));
}
