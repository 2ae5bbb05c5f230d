// No string shown without a message in both languages: every key a page asks
// for (t('…'), a menu label) exists in French and English, and both catalogues
// of each entry have the same keys.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fr } from '../src/shell/messages/fr.js';
import { en } from '../src/shell/messages/en.js';
import { fr as vvFr } from '../../plugins/voisins-vigilants/ui/messages.js';
import { en as vvEn } from '../../plugins/voisins-vigilants/ui/messages.en.js';
import { fr as billingFr } from '../src/pages/billing/messages.js';
import { en as billingEn } from '../src/pages/billing/messages.en.js';
import { fr as operatorFr } from '../src/pages/operator/messages.js';
import { en as operatorEn } from '../src/pages/operator/messages.en.js';

const vv = { fr: vvFr as Record<string, string>, en: vvEn };
const billing = { fr: billingFr, en: billingEn };
const operator = { fr: operatorFr, en: operatorEn };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return n === 'gql' || n === 'messages' ? [] : files(p);
    return /\.(tsx?|ts)$/.test(n) && !/messages(\.en)?\.ts$/.test(n) ? [p] : [];
  });
}

const sources = [
  ...files(path.join(root, 'admin-ui/src')),
  ...files(path.join(root, 'plugins/voisins-vigilants/ui')),
];
const all = {
  fr: { ...fr, ...vv.fr, ...billing.fr, ...operator.fr } as Record<string, string>,
  en: { ...en, ...vv.en, ...billing.en, ...operator.en } as Record<string, string>,
};
const base = (k: string) => k.replace(/#(zero|one|two|few|many|other)$/, '');
const known = (cat: Record<string, string>, k: string) => k in cat || `${k}#other` in cat;

describe('message catalogues', () => {
  it('have the same keys in French and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    expect(Object.keys(vv.en).sort()).toEqual(Object.keys(vv.fr).sort());
    expect(Object.keys(billing.en).sort()).toEqual(Object.keys(billing.fr).sort());
    expect(Object.keys(operator.en).sort()).toEqual(Object.keys(operator.fr).sort());
  });

  it('hold every key the pages use, in both languages', () => {
    const missing: string[] = [];
    const prefixes = new Set(Object.keys(all.fr).map((k) => k.split('.')[0]!));
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      const rel = path.relative(root, file);
      // literal keys: t('a.b'), label: 'a.b', and keys in ternaries inside t(…)
      for (const m of text.matchAll(/['"]([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9_]+)+)['"]/g)) {
        const key = m[1]!;
        if (!prefixes.has(key.split('.')[0]!) || /\.(js|tsx?|css|svg|json)$/.test(key)) continue;
        for (const locale of ['fr', 'en'] as const)
          if (!known(all[locale], key)) missing.push(`${rel}: ${key} (${locale})`);
      }
      // template keys: t(`vv.status.${x}`): the catalogue must have that family
      for (const m of text.matchAll(/t\(`([a-z][A-Za-z0-9_.]*\.)\$\{/g)) {
        const family = m[1]!;
        for (const locale of ['fr', 'en'] as const)
          if (!Object.keys(all[locale]).some((k) => base(k).startsWith(family)))
            missing.push(`${rel}: ${family}* (${locale})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('name every value of the enums shown through template keys', () => {
    const families: Record<string, string[]> = {
      'vv.status.': ['received', 'acknowledged', 'in_progress', 'closed'],
      'vv.severity.': ['urgent', 'important', 'info'],
      'vv.closure.': ['solved', 'unfounded'],
      'vv.reaction.': ['seen_too', 'can_help'],
      'vv.rsvp.': ['yes', 'maybe', 'no'],
      'vv.content.': ['thread', 'comment', 'event', 'message'],
      'vv.community.status.': ['none', 'pending', 'member', 'excluded'],
      'residence.status.': ['draft', 'pending', 'active', 'rejected', 'withdrawn', 'expired', 'ended'],
      'prefs.severity.': ['urgent', 'important', 'info'],
      'prefs.severityHint.': ['urgent', 'important', 'info'],
      'channel.': ['sms', 'email', 'push', 'voice', 'in_app'],
      'op.status.': ['trial', 'active', 'suspended'],
      'op.by.': ['operator', 'billing', 'system'],
    };
    const schema = readFileSync(path.join(root, 'admin-ui/schema.graphql'), 'utf8');
    const enumValues = (name: string) =>
      [
        ...(schema.match(new RegExp(`enum ${name} \\{([^}]*)\\}`))?.[1] ?? '').matchAll(
          /^\s+([a-z_]+)\s*$/gm,
        ),
      ].map((m) => m[1]);
    // the lists above follow the schema: a new enum value fails here first
    expect(enumValues('AlertStatus').sort()).toEqual([...families['vv.status.']!].sort());
    expect(enumValues('NotificationChannel').sort()).toEqual([...families['channel.']!].sort());
    expect(enumValues('ModeratedContent').sort()).toEqual([...families['vv.content.']!].sort());
    expect(enumValues('MembershipStatus').sort()).toEqual([...families['vv.community.status.']!].sort());
    for (const [family, values] of Object.entries(families))
      for (const v of values)
        for (const locale of ['fr', 'en'] as const)
          expect(all[locale], `${family}${v}`).toHaveProperty([`${family}${v}`]);
  });
});
