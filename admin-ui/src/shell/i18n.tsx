// Messages: French first, English on a switch. Every string shown comes from a
// catalogue (the shell's in ./messages, each plugin's in its ui/ entry). The
// choice is remembered per browser (localStorage) before login and per account
// (accounts.locale through setMyLocale) after.
// French is in the first route's JavaScript; each entry's English catalogue is
// a chunk of its own, loaded when English is chosen (loadCatalogues), before
// the page switches, so nobody sees a mix of the two.
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import type { MessageKey } from './messages/fr.js';

export type Locale = 'fr' | 'en';
export type Catalogue = Record<string, string>;
export type Vars = Record<string, string | number>;

const STORAGE_KEY = 'vigie.locale';

export function storedLocale(): Locale | undefined {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return v === 'fr' || v === 'en' ? v : undefined;
  } catch {
    return undefined;
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode: the account still remembers it
  }
}

export function initialLocale(): Locale {
  // French first, whatever the browser's language: English is one switch away, and remembered.
  return storedLocale() ?? 'fr';
}

/** An entry's catalogues: French at hand, English on demand. */
export interface Messages {
  fr: Catalogue;
  en: () => Promise<Catalogue>;
}

/** The English catalogues loaded so far, by entry (the page's lifetime: they never change). */
const english = new Map<Messages, Catalogue>();

/** Whether every entry's catalogue of that language is at hand. */
export function cataloguesReady(locale: Locale, entries: readonly Messages[]): boolean {
  return locale === 'fr' || entries.every((e) => english.has(e));
}

/** Loads what `locale` needs; an entry whose chunk fails to load falls back to French. */
export async function loadCatalogues(locale: Locale, entries: readonly Messages[]): Promise<void> {
  if (cataloguesReady(locale, entries)) return;
  await Promise.all(
    entries
      .filter((e) => !english.has(e))
      .map(async (e) => {
        try {
          english.set(e, await e.en());
        } catch {
          // offline, or a deploy removed the chunk: French rather than nothing
        }
      }),
  );
}

/** Interpolates `{name}`; `{count}` picks `key#one` / `key#other` when they exist. */
export function format(
  catalogues: Record<Locale, Catalogue>,
  locale: Locale,
  key: string,
  vars?: Vars,
): string {
  const cat = catalogues[locale];
  let k = key;
  if (vars && typeof vars.count === 'number') {
    const form = new Intl.PluralRules(locale).select(vars.count);
    if (cat[`${key}#${form}`] !== undefined) k = `${key}#${form}`;
    else if (cat[`${key}#other`] !== undefined) k = `${key}#other`;
  }
  const template = cat[k] ?? catalogues.fr[k] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) =>
    vars[name] === undefined ? `{${name}}` : String(vars[name]),
  );
}

interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey | (string & {}), vars?: Vars): string;
  formatDate(iso: string | null | undefined, style?: 'date' | 'datetime' | 'time'): string;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider(props: {
  locale: Locale;
  onLocale(locale: Locale): void;
  /** Every entry's catalogues, the shell's own among them. */
  extra: readonly Messages[];
  children: ReactNode;
}) {
  const { locale, onLocale, extra, children } = props;
  const ready = cataloguesReady(locale, extra);
  const catalogues = useMemo(() => {
    const merged: Record<Locale, Catalogue> = { fr: {}, en: {} };
    for (const c of extra) {
      Object.assign(merged.fr, c.fr);
      Object.assign(merged.en, english.get(c));
    }
    return merged;
  }, [extra, locale, ready]);
  const t = useCallback(
    (key: string, vars?: Vars) => format(catalogues, locale, key, vars),
    [catalogues, locale],
  );
  const formatDate = useCallback(
    (iso: string | null | undefined, style: 'date' | 'datetime' | 'time' = 'datetime') => {
      if (!iso) return '';
      const d = new Date(iso);
      if (Number.isNaN(d.getTime())) return '';
      const opts: Intl.DateTimeFormatOptions =
        style === 'date'
          ? { dateStyle: 'long' }
          : style === 'time'
            ? { timeStyle: 'short' }
            : { dateStyle: 'medium', timeStyle: 'short' };
      // The commune's time, whatever the device's zone: what the police and the neighbours read.
      return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
        ...opts,
        timeZone: 'Europe/Paris',
      }).format(d);
    },
    [locale],
  );
  const value = useMemo(
    () => ({ locale, setLocale: onLocale, t, formatDate }),
    [locale, onLocale, t, formatDate],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
