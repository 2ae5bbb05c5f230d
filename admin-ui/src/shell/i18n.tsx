// Messages: French first, English on a switch. Every string shown comes from a
// catalogue (the shell's in ./messages, each plugin's in its ui/ entry). The
// choice is remembered per browser (localStorage) before login and per account
// (accounts.locale through setMyLocale) after.
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { fr, type MessageKey } from './messages/fr.js';
import { en } from './messages/en.js';

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

const shell: Record<Locale, Catalogue> = { fr, en };

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
  extra: Array<Record<Locale, Catalogue>>;
  children: ReactNode;
}) {
  const { locale, onLocale, extra, children } = props;
  const catalogues = useMemo(() => {
    const merged: Record<Locale, Catalogue> = { fr: { ...shell.fr }, en: { ...shell.en } };
    for (const c of extra) {
      Object.assign(merged.fr, c.fr);
      Object.assign(merged.en, c.en);
    }
    return merged;
  }, [extra]);
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
