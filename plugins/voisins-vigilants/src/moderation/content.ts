// The four kinds of content members publish, behind one interface, so that
// reporting, hiding and restoring work the same way for all of them.
import { type Trx } from '@vigie/platform/plugin';
import { fail } from '../errors.js';
import { excerpt } from '../context.js';
import { isId } from '../validate.js';

export const CONTENT_TABLES = {
  thread: 'vv_threads',
  comment: 'vv_comments',
  event: 'vv_events',
  message: 'vv_messages',
} as const;
export type ContentType = keyof typeof CONTENT_TABLES;

export interface Content {
  type: ContentType;
  id: string;
  communityId: string;
  authorId: string;
  /** Private messages: the one other person who may see (and report) it. */
  recipientId: string | null;
  text: string;
  hiddenAt: Date | null;
}

interface Row {
  id: string;
  community_id: string;
  author_id: string;
  recipient_id?: string;
  title?: string;
  body?: string;
  description?: string;
  hidden_at: Date | null;
}

function textOf(type: ContentType, r: Row): string {
  if (type === 'thread') return `${r.title} — ${r.body}`;
  if (type === 'event') return `${r.title} — ${r.description ?? ''}`;
  return r.body ?? '';
}

export async function findContent(trx: Trx, type: ContentType, id: string, lock = false): Promise<Content> {
  if (!(type in CONTENT_TABLES) || !isId(id)) throw fail('CONTENT_NOT_FOUND');
  const q = trx(CONTENT_TABLES[type]).where({ id });
  if (lock) q.forUpdate();
  const r = (await q.first()) as Row | undefined;
  if (!r) throw fail('CONTENT_NOT_FOUND');
  return {
    type,
    id: r.id,
    communityId: r.community_id,
    authorId: r.author_id,
    recipientId: r.recipient_id ?? null,
    text: textOf(type, r),
    hiddenAt: r.hidden_at,
  };
}

/** Short extracts and authors of many contents at once (moderation queue and log), keyed `type:id`. */
export async function excerpts(
  trx: Trx,
  keys: Array<{ type: ContentType; id: string }>,
): Promise<Map<string, { excerpt: string; authorId: string }>> {
  const out = new Map<string, { excerpt: string; authorId: string }>();
  for (const type of Object.keys(CONTENT_TABLES) as ContentType[]) {
    const ids = [...new Set(keys.filter((k) => k.type === type).map((k) => k.id))];
    if (ids.length === 0) continue;
    const rows = (await trx(CONTENT_TABLES[type]).whereIn('id', ids)) as Row[];
    for (const r of rows)
      out.set(`${type}:${r.id}`, { excerpt: excerpt(textOf(type, r)), authorId: r.author_id });
  }
  return out;
}

export async function setHidden(
  trx: Trx,
  c: Content,
  hidden: { by: string; reason: string } | null,
): Promise<void> {
  await trx(CONTENT_TABLES[c.type])
    .where({ id: c.id })
    .update(
      hidden
        ? {
            hidden_at: new Date(),
            hidden_by: hidden.by,
            hidden_reason: hidden.reason,
            updated_at: new Date(),
          }
        : { hidden_at: null, hidden_by: null, hidden_reason: null, updated_at: new Date() },
    );
}
