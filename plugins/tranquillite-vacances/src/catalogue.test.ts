// No string shown without a message in both languages: French and English have
// the same keys, and every literal key the pages ask for (t('tv.…')) exists.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fr } from '../ui/messages.js';
import { en } from '../ui/messages.en.js';

const messages = { fr: fr as Record<string, string>, en };

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../ui');

describe('tranquillite-vacances catalogues', () => {
  it('have the same keys in French and English, none empty', () => {
    expect(Object.keys(messages.en).sort()).toEqual(Object.keys(messages.fr).sort());
    for (const cat of [messages.fr, messages.en])
      expect(Object.entries(cat).filter(([, v]) => !v.trim())).toEqual([]);
  });

  it('hold every key the pages use, and the keys built from the server’s enums', () => {
    const used = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.tsx')))
      for (const m of readFileSync(path.join(dir, f), 'utf8').matchAll(/['`](tv\.[a-zA-Z.]+)['`]/g))
        used.add(m[1]!);
    for (const s of ['pending', 'validated', 'refused', 'cancelled']) used.add(`tv.status.${s}`);
    for (const o of ['ras', 'open_window', 'forced_entry', 'letterbox', 'other']) used.add(`tv.outcome.${o}`);
    const known = (k: string) => k in messages.fr || `${k}#other` in messages.fr;
    expect([...used].filter((k) => !known(k))).toEqual([]);
  });
});
