// What residents and reviewers are told about a verification. No document and
// no address goes into a reviewer's notification: they open the request in the
// portal, where access is checked and audited.
import { reasonLabel } from './residences.js';

type Locale = 'fr' | 'en';

export interface Text {
  title: string;
  body: string;
}

export function outcomeText(
  outcome: 'approved' | 'rejected' | 'expired',
  r: { sectorName: string | null; reason: string | null; comment: string | null },
  locale: Locale,
): Text {
  if (locale === 'en') {
    if (outcome === 'approved')
      return {
        title: 'Your address is confirmed',
        body: r.sectorName
          ? `Welcome to the ${r.sectorName} community. Your proof of address has been deleted.`
          : 'Your address is confirmed. Your proof of address has been deleted.',
      };
    if (outcome === 'rejected')
      return {
        title: 'Your proof of address was not accepted',
        body: `Reason: ${reasonLabel(r.reason, 'en')}${r.comment ? ` (${r.comment})` : ''}. Your document has been deleted; you can send another one.`,
      };
    return {
      title: 'Your request has expired',
      body: 'Nobody could check your proof of address in time. It has been deleted; you can send it again.',
    };
  }
  if (outcome === 'approved')
    return {
      title: 'Votre adresse est confirmée',
      body: r.sectorName
        ? `Bienvenue dans la communauté ${r.sectorName}. Votre justificatif de domicile a été supprimé.`
        : 'Votre adresse est confirmée. Votre justificatif de domicile a été supprimé.',
    };
  if (outcome === 'rejected')
    return {
      title: 'Votre justificatif n’a pas été accepté',
      body: `Motif : ${reasonLabel(r.reason, 'fr')}${r.comment ? ` (${r.comment})` : ''}. Votre document a été supprimé ; vous pouvez en envoyer un autre.`,
    };
  return {
    title: 'Votre demande a expiré',
    body: 'Votre justificatif n’a pas pu être vérifié à temps. Il a été supprimé ; vous pouvez renvoyer une demande.',
  };
}

export function reviewerText(event: 'new' | 'remind' | 'escalated', r: { sectorName: string | null }): Text {
  const where = r.sectorName ? ` (${r.sectorName})` : ' (adresse hors secteur)';
  if (event === 'new')
    return {
      title: 'Nouvelle demande de vérification',
      body: `Un voisin demande à rejoindre la communauté${where}. Vérifiez son justificatif dans la file des demandes.`,
    };
  if (event === 'remind')
    return {
      title: 'Une demande attend votre vérification',
      body: `Une demande de vérification d’adresse${where} attend toujours une décision.`,
    };
  return {
    title: 'Demande transmise à la mairie',
    body: `Une demande de vérification d’adresse${where} n’a pas été traitée à temps : elle est transmise à la mairie.`,
  };
}

export function sectorMovedText(sectorName: string | null, locale: Locale): Text {
  if (locale === 'en')
    return {
      title: 'Your community changed',
      body: sectorName
        ? `The map of the neighbourhoods was redrawn: your address now belongs to ${sectorName}.`
        : 'The map of the neighbourhoods was redrawn: your address belongs to no community for now. The mairie has been told.',
    };
  return {
    title: 'Votre communauté a changé',
    body: sectorName
      ? `Les secteurs de la commune ont été redessinés : votre adresse fait désormais partie de ${sectorName}.`
      : 'Les secteurs de la commune ont été redessinés : votre adresse ne fait plus partie d’aucune communauté pour le moment. La mairie en est informée.',
  };
}
