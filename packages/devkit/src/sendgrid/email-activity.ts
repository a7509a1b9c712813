/**
 * The part of SendGrid's Email Activity API (`GET /v3/messages`) our transport uses: a filter in SendGrid's
 * query language, terms joined by AND, over the messages this server accepted. Supported terms are
 * `msg_id`, `to_email`, `from_email`, `subject`, `status` and `unique_args['name']`, each `="value"`.
 */
import type { ReceivedMail } from './validate-mail-send';

export interface ActivityMessage {
  from_email: string;
  msg_id: string;
  subject: string;
  to_email: string;
  status: 'processed' | 'delivered' | 'not_delivered';
  opens_count: number;
  clicks_count: number;
  last_event_time: string;
}

export interface AcceptedMail {
  messageId: string;
  receivedAt: Date;
  mail: ReceivedMail;
}

type Term = { field: string; uniqueArg: string | null; value: string };

const TERM =
  /^\s*(msg_id|to_email|from_email|subject|status|unique_args\['([^']+)'\])\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** Parses `a="x" AND unique_args['k']="y"`; throws a message for SendGrid's 400 on anything else. */
export function parseActivityQuery(query: string): Term[] {
  const trimmed = query.trim().replace(/^\((.*)\)$/s, '$1');
  if (trimmed === '') return [];
  return trimmed.split(/\s+AND\s+/).map((part) => {
    const match = TERM.exec(part.replace(/^\((.*)\)$/s, '$1'));
    if (!match) throw new Error(`invalid query: could not parse "${part.trim()}"`);
    const [, field = '', uniqueArg, value = ''] = match;
    return {
      field: uniqueArg ? 'unique_args' : field,
      uniqueArg: uniqueArg ?? null,
      value: value.replace(/\\(.)/g, '$1'),
    };
  });
}

/** One activity row per recipient, like SendGrid lists them; msg_id is the X-Message-Id plus a suffix. */
export function activityRows(accepted: AcceptedMail): Array<{
  row: ActivityMessage;
  customArgs: Record<string, string>;
}> {
  const { mail } = accepted;
  return mail.personalizations.flatMap((personalization, index) =>
    personalization.to.map((to) => ({
      row: {
        from_email: mail.from.email,
        msg_id: `${accepted.messageId}.filter0001p1local-1-${index}.0`,
        subject: personalization.subject ?? mail.subject ?? '',
        to_email: to.email,
        status: 'delivered' as const,
        opens_count: 0,
        clicks_count: 0,
        last_event_time: accepted.receivedAt.toISOString(),
      },
      customArgs: { ...mail.customArgs, ...personalization.customArgs },
    })),
  );
}

export function matches(
  entry: { row: ActivityMessage; customArgs: Record<string, string> },
  terms: Term[],
): boolean {
  return terms.every((term) => {
    if (term.uniqueArg !== null) return entry.customArgs[term.uniqueArg] === term.value;
    if (term.field === 'msg_id') return entry.row.msg_id === term.value;
    return entry.row[term.field as 'to_email' | 'from_email' | 'subject' | 'status'] === term.value;
  });
}
