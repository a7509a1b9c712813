/**
 * The admins' audit trail: who did what to which record, with the record before and after, from which address.
 * Written in the transaction of the change it describes, so there is never a change without its row.
 */
import type { Database, Kysely } from '@restoreclick/db';

/** The admin user acting, as every admin action receives it from the transport. */
export interface AdminActor {
  id: string;
  email: string;
  /** The client's address, for the audit row. */
  ip: string | null;
}

export type AuditEntityType = 'order' | 'email_message' | 'admin_user' | 'queue' | 'customer';

export interface AuditEntry {
  adminUserId: string | null;
  action: string;
  entityType: AuditEntityType;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  ip: string | null;
}

export async function recordAudit(db: Kysely<Database>, entry: AuditEntry): Promise<string> {
  const row = await db
    .insertInto('audit_logs')
    .values({
      admin_user_id: entry.adminUserId,
      action: entry.action,
      entity_type: entry.entityType,
      entity_id: entry.entityId,
      before: entry.before ? JSON.stringify(entry.before) : null,
      after: entry.after ? JSON.stringify(entry.after) : null,
      ip: entry.ip,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The order-timeline actor of an admin: `admin:<id>`. */
export function adminActorOf(admin: Pick<AdminActor, 'id'>): `admin:${string}` {
  return `admin:${admin.id}`;
}
