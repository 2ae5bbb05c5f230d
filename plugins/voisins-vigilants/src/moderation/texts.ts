// What moderation says: the reasons a member may give when reporting, and the
// notices to referents and authors, French first with the English beside it.
import type { Wording } from '../context.js';

export const REPORT_REASONS = {
  harassment: 'Harcèlement ou insultes',
  accusation: 'Accusation ou dénonciation nominative',
  personal_data: 'Données personnelles (adresse, téléphone, photo)',
  discrimination: 'Propos discriminatoires ou haineux',
  spam: 'Publicité ou spam',
  off_topic: 'Hors sujet',
  other: 'Autre',
} as const;
export type ReportReason = keyof typeof REPORT_REASONS;

const REPORT_REASONS_EN: Record<ReportReason, string> = {
  harassment: 'Harassment or insults',
  accusation: 'Accusing or naming someone',
  personal_data: 'Personal data (address, phone number, photo)',
  discrimination: 'Discriminatory or hateful remarks',
  spam: 'Advertising or spam',
  off_topic: 'Off topic',
  other: 'Other',
};

export const notices = {
  reported: (reason: ReportReason): Wording => ({
    title: 'Nouveau signalement',
    body: `Un contenu a été signalé (${REPORT_REASONS[reason].toLowerCase()}).`,
    en: { title: 'New report', body: `Something was reported (${REPORT_REASONS_EN[reason].toLowerCase()}).` },
  }),
  authorNotice: (action: 'hide' | 'restore', reason: string): Wording =>
    action === 'hide'
      ? {
          title: 'Votre contribution a été masquée',
          body: `Un référent de votre communauté a masqué votre contribution. Motif : ${reason}`,
          en: {
            title: 'Your post has been hidden',
            body: `A referent of your community has hidden your post. Reason: ${reason}`,
          },
        }
      : {
          title: 'Votre contribution est rétablie',
          body: `Un référent de votre communauté a rétabli votre contribution. Motif : ${reason}`,
          en: {
            title: 'Your post is visible again',
            body: `A referent of your community has restored your post. Reason: ${reason}`,
          },
        },
};
