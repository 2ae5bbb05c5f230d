// The demo community's life for `npm start` (development only; the core calls
// this for communes that enabled the plugin, after making the demo residents
// verified members): the charter accepted, discussions with replies, an
// upcoming event with answers, and a conversation between two neighbours.
// Written into the plugin's own tables, in the commune's transaction. Each
// part is seeded once: if the demo residents already wrote one, it is left as
// the demo left it.
import type { DemoSeedDeps, Trx } from '@vigie/platform/plugin';
import { settingsFrom } from './settings.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Thread {
  author: string;
  category: 'lost_animals' | 'mutual_aid' | 'loans' | 'neighbourhood_life' | 'other';
  title: string;
  body: string;
  hoursAgo: number;
  comments: Array<{ author: string; body: string; hoursAgo: number }>;
}

const THREADS: Thread[] = [
  {
    author: 'bruno',
    category: 'loans',
    title: 'Qui pourrait me prêter une échelle ce week-end ?',
    body: 'Bonjour à tous, je dois nettoyer mes gouttières samedi matin. Une échelle de 3 m ferait l’affaire. Je la rapporte le jour même !',
    hoursAgo: 30,
    comments: [
      { author: 'alice', body: 'J’en ai une dans le garage, passez la prendre vendredi soir.', hoursAgo: 28 },
      { author: 'bruno', body: 'Super, merci Alice ! Je passe vers 19 h.', hoursAgo: 27 },
    ],
  },
  {
    author: 'referent',
    category: 'mutual_aid',
    title: 'Courses pour Mme Martin pendant sa convalescence',
    body: 'Notre voisine du n° 12 sort de l’hôpital et ne peut pas porter de charges pendant trois semaines. Qui peut prendre un créneau pour ses courses ?',
    hoursAgo: 52,
    comments: [
      {
        author: 'alice',
        body: 'Je prends le mardi, je fais mes courses ce jour-là de toute façon.',
        hoursAgo: 50,
      },
      { author: 'bruno', body: 'Pour moi ce sera le samedi matin.', hoursAgo: 47 },
      { author: 'referent', body: 'Merci à vous deux, je lui transmets le planning.', hoursAgo: 45 },
    ],
  },
];

export async function seedDemo(d: DemoSeedDeps): Promise<void> {
  const who = new Map(d.residents.map((r) => [r.key, r.accountId]));
  const ids = d.residents.map((r) => r.accountId);
  const settings = settingsFrom(d.settings);
  await acceptCharter(d.trx, d.tenant.id, ids, settings.charterVersion);
  await seedThreads(d, who);
  await seedEvent(d, who);
  await seedMessages(d, who);
}

async function acceptCharter(trx: Trx, tenantId: string, ids: string[], version: string): Promise<void> {
  await trx('vv_charter_acceptances')
    .insert(ids.map((id) => ({ tenant_id: tenantId, account_id: id, version })))
    .onConflict(['tenant_id', 'account_id', 'version'])
    .ignore();
}

async function seedThreads(d: DemoSeedDeps, who: Map<string, string>): Promise<void> {
  const ids = [...who.values()];
  if (await d.trx('vv_threads').where({ community_id: d.communityId }).whereIn('author_id', ids).first('id'))
    return;
  for (const t of THREADS) {
    const author = who.get(t.author);
    if (!author) continue;
    const at = (h: number) => new Date(d.now.getTime() - h * HOUR);
    const comments = t.comments.filter((c) => who.has(c.author));
    const [row] = (await d
      .trx('vv_threads')
      .insert({
        tenant_id: d.tenant.id,
        community_id: d.communityId,
        author_id: author,
        category: t.category,
        title: t.title,
        body: t.body,
        created_at: at(t.hoursAgo),
        updated_at: at(t.hoursAgo),
        last_activity_at: at(Math.min(t.hoursAgo, ...comments.map((c) => c.hoursAgo))),
      })
      .returning('id')) as Array<{ id: string }>;
    if (comments.length)
      await d.trx('vv_comments').insert(
        comments.map((c) => ({
          tenant_id: d.tenant.id,
          thread_id: row!.id,
          community_id: d.communityId,
          author_id: who.get(c.author)!,
          body: c.body,
          created_at: at(c.hoursAgo),
          updated_at: at(c.hoursAgo),
        })),
      );
  }
}

/** Next Saturday at 11:00 UTC (13:00 in Paris in summer, 12:00 in winter), at least two days ahead. */
function nextSaturday(now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 11));
  const days = (6 - d.getUTCDay() + 7) % 7 || 7;
  d.setUTCDate(d.getUTCDate() + (days < 2 ? days + 7 : days));
  return d;
}

/**
 * No reminder workflow is started for it: the demo's event lies days ahead,
 * and a restart must not need Temporal to be up to seed it.
 */
async function seedEvent(d: DemoSeedDeps, who: Map<string, string>): Promise<void> {
  const organiser = who.get('referent') ?? [...who.values()][0];
  if (!organiser) return;
  const ids = [...who.values()];
  const upcoming = await d
    .trx('vv_events')
    .where({ community_id: d.communityId })
    .whereIn('author_id', ids)
    .where('starts_at', '>', d.now)
    .whereNull('cancelled_at')
    .first('id');
  // Still one ahead: nothing to do. Once it is past, the next start plans the next one.
  if (upcoming) return;
  const starts = nextSaturday(d.now);
  const [ev] = (await d
    .trx('vv_events')
    .insert({
      tenant_id: d.tenant.id,
      community_id: d.communityId,
      author_id: organiser,
      kind: 'neighbours_day',
      title: 'Apéro des voisins',
      description:
        'Chacun apporte un plat ou une boisson. Venez rencontrer les nouveaux arrivants du quartier !',
      place: 'Square du quartier, près de l’aire de jeux',
      starts_at: starts,
      ends_at: new Date(starts.getTime() + 3 * HOUR),
      created_at: new Date(d.now.getTime() - 3 * DAY),
    })
    .returning('id')) as Array<{ id: string }>;
  const answers: Array<[string, 'yes' | 'maybe' | 'no']> = [
    ['referent', 'yes'],
    ['alice', 'yes'],
    ['bruno', 'maybe'],
  ];
  await d.trx('vv_event_rsvps').insert(
    answers
      .filter(([k]) => who.has(k))
      .map(([k, answer]) => ({
        tenant_id: d.tenant.id,
        event_id: ev!.id,
        account_id: who.get(k)!,
        answer,
      })),
  );
}

async function seedMessages(d: DemoSeedDeps, who: Map<string, string>): Promise<void> {
  const alice = who.get('alice');
  const bruno = who.get('bruno');
  if (!alice || !bruno) return;
  const pair = await d
    .trx('vv_messages')
    .where((w) =>
      w.where({ author_id: alice, recipient_id: bruno }).orWhere({ author_id: bruno, recipient_id: alice }),
    )
    .first('id');
  if (pair) return;
  const lines: Array<[string, string, string, number, boolean]> = [
    [
      alice,
      bruno,
      'Bonjour Bruno, c’est bien votre chat roux qui dort sur ma terrasse tous les après-midis ?',
      26,
      true,
    ],
    [
      bruno,
      alice,
      'Ah oui, c’est Caramel ! Désolé s’il vous dérange, il adore le soleil de votre côté.',
      25,
      true,
    ],
    [
      alice,
      bruno,
      'Pas du tout, il est adorable. Je voulais juste m’assurer qu’il n’était pas perdu 🙂',
      24,
      false,
    ],
  ];
  await d.trx('vv_messages').insert(
    lines.map(([from, to, body, hoursAgo, read]) => {
      const at = new Date(d.now.getTime() - hoursAgo * HOUR);
      return {
        tenant_id: d.tenant.id,
        community_id: d.communityId,
        author_id: from,
        recipient_id: to,
        body,
        read_at: read ? new Date(at.getTime() + HOUR) : null,
        created_at: at,
        updated_at: at,
      };
    }),
  );
}
