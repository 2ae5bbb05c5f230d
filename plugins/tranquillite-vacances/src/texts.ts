// What the plugin tells people, French first with the English beside it: the
// platform picks one per recipient. A notice after a visit gives the time and
// the outcome, never the agent's name.
import type { VisitOutcome } from './workflows/contract.js';

export interface Wording {
  title: string;
  body: string;
  en: { title: string; body: string };
}

const TZ = 'Europe/Paris';
const fmt = (d: Date, locale: string) =>
  d.toLocaleString(locale, { timeZone: TZ, dateStyle: 'long', timeStyle: 'short' });
const fr = (d: Date) => fmt(d, 'fr-FR');
const en = (d: Date) => fmt(d, 'en-GB');

export const OUTCOMES: Record<VisitOutcome, { fr: string; en: string }> = {
  ras: { fr: 'rien à signaler', en: 'nothing to report' },
  open_window: { fr: 'fenêtre ou porte ouverte', en: 'window or door open' },
  forced_entry: { fr: 'traces d’effraction', en: 'signs of forced entry' },
  letterbox: { fr: 'boîte aux lettres débordante', en: 'overflowing letterbox' },
  other: { fr: 'autre anomalie', en: 'other anomaly' },
};

export const texts = {
  declared: (label: string, from: Date, to: Date): Wording => ({
    title: 'Nouvelle déclaration Tranquillité Vacances',
    body: `Absence déclarée du ${fr(from)} au ${fr(to)} (${label}) : à valider.`,
    en: {
      title: 'New Tranquillité Vacances declaration',
      body: `Absence declared from ${en(from)} to ${en(to)} (${label}): to be validated.`,
    },
  }),
  changed: (label: string, what: { fr: string; en: string }): Wording => ({
    title: 'Déclaration d’absence modifiée',
    body: `${label} : ${what.fr}`,
    en: { title: 'Absence declaration changed', body: `${label}: ${what.en}` },
  }),
  validated: (from: Date, to: Date): Wording => ({
    title: 'Votre absence est sous surveillance',
    body: `La police municipale a validé votre déclaration : des passages auront lieu du ${fr(from)} au ${fr(to)}.`,
    en: {
      title: 'Your home is under watch',
      body: `The municipal police validated your declaration: they will patrol from ${en(from)} to ${en(to)}.`,
    },
  }),
  refused: (reason: string): Wording => ({
    title: 'Votre déclaration d’absence est refusée',
    body: `Motif : ${reason}`,
    en: { title: 'Your absence declaration was refused', body: `Reason: ${reason}` },
  }),
  visit: (at: Date, outcome: VisitOutcome): Wording => ({
    title: 'Avis de passage',
    body: `La police municipale est passée le ${fr(at)} : ${OUTCOMES[outcome].fr}.`,
    en: {
      title: 'Patrol notice',
      body: `The municipal police came by on ${en(at)}: ${OUTCOMES[outcome].en}.`,
    },
  }),
  anomaly: (label: string, at: Date, outcome: VisitOutcome, note: string): Wording => ({
    title: `URGENT — anomalie Tranquillité Vacances : ${OUTCOMES[outcome].fr}`,
    body: `${label}, passage du ${fr(at)}. ${note}`.trim(),
    en: {
      title: `URGENT — Tranquillité Vacances anomaly: ${OUTCOMES[outcome].en}`,
      body: `${label}, visit of ${en(at)}. ${note}`.trim(),
    },
  }),
  noVisit: (label: string, since: Date): Wording => ({
    title: 'Logement sans passage',
    body: `${label} n’a pas eu de passage depuis le ${fr(since)}.`,
    en: { title: 'Home without a visit', body: `${label} has had no visit since ${en(since)}.` },
  }),
  summary: (from: Date, to: Date, visits: number, anomalies: number): Wording => ({
    title: 'Bon retour ! Le bilan de votre absence',
    body: `Du ${fr(from)} au ${fr(to)} : ${visits} passage${visits > 1 ? 's' : ''} de la police municipale, ${anomalies === 0 ? 'aucune anomalie' : `${anomalies} anomalie${anomalies > 1 ? 's' : ''}`}.`,
    en: {
      title: 'Welcome back! Your absence in brief',
      body: `From ${en(from)} to ${en(to)}: ${visits} visit${visits === 1 ? '' : 's'} by the municipal police, ${anomalies === 0 ? 'no anomaly' : `${anomalies} anomal${anomalies === 1 ? 'y' : 'ies'}`}.`,
    },
  }),
};
