// What the mairie admins are told, in their language. Dates in Paris time.
type Locale = 'fr' | 'en';

const date = (d: Date | null | undefined, locale: Locale) =>
  d
    ? new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
        dateStyle: 'long',
        timeZone: 'Europe/Paris',
      }).format(d)
    : '';

export function adminNotice(
  action: string,
  locale: Locale,
  v: { graceUntil?: Date | null; renewalDate?: string; price?: string; deleteAt?: string },
): { title: string; body: string } {
  const fr = locale === 'fr';
  switch (action) {
    case 'billing.payment_failed':
      return fr
        ? {
            title: 'Facture Vigie impayée',
            body: `Le paiement de la facture Vigie n’a pas abouti. Sans règlement d’ici le ${date(v.graceUntil, locale)}, le portail passera en lecture seule (les habitants pourront toujours alerter la police municipale).`,
          }
        : {
            title: 'Unpaid Vigie invoice',
            body: `The Vigie invoice has not been paid. Unless it is paid by ${date(v.graceUntil, locale)}, the portal becomes read-only (residents can still alert the police municipale).`,
          };
    case 'billing.suspended':
      return fr
        ? {
            title: 'Portail en lecture seule',
            body: 'La facture Vigie n’a pas été réglée dans le délai : le portail est en lecture seule. Les alertes à la police municipale restent possibles. Il est rétabli dès le paiement reçu.',
          }
        : {
            title: 'Portal read-only',
            body: 'The Vigie invoice was not paid in time: the portal is read-only. Alerts to the police municipale still work. It is restored as soon as the payment arrives.',
          };
    case 'billing.reactivated':
    case 'billing.payment_recovered':
      return fr
        ? {
            title: 'Paiement reçu',
            body: 'Merci : la facture Vigie est réglée, le portail fonctionne normalement.',
          }
        : {
            title: 'Payment received',
            body: 'Thank you: the Vigie invoice is paid, the portal works normally.',
          };
    case 'billing.cancelled':
      return fr
        ? {
            title: 'Abonnement terminé',
            body: 'L’abonnement Vigie est terminé : le portail reste consultable en lecture seule pendant 90 jours pour exporter vos données.',
          }
        : {
            title: 'Subscription ended',
            body: 'The Vigie subscription has ended: the portal stays readable for 90 days so that you can export your data.',
          };
    case 'billing.deletion_planned':
      return fr
        ? {
            title: 'Suppression des données prévue',
            body: `L’abonnement étant terminé, les données de la commune seront supprimées le ${v.deleteAt}. Exportez d’ici là ce que vous souhaitez garder ; un nouvel abonnement avant cette date les conserve.`,
          }
        : {
            title: 'Data deletion planned',
            body: `As the subscription has ended, the commune's data will be deleted on ${v.deleteAt}. Export what you want to keep before then; subscribing again before that date keeps it.`,
          };
    case 'billing.renewal_notice':
      return fr
        ? {
            title: 'Renouvellement de l’abonnement Vigie',
            body: `L’abonnement se renouvelle le ${v.renewalDate} pour ${v.price} par an. Vous pouvez l’arrêter à l’échéance en un clic depuis la page Abonnement, sans frais.`,
          }
        : {
            title: 'Vigie subscription renewal',
            body: `The subscription renews on ${v.renewalDate} for ${v.price} a year. You can stop it at the end of the term in one click from the Subscription page, at no cost.`,
          };
    default:
      return fr ? { title: 'Abonnement Vigie', body: action } : { title: 'Vigie subscription', body: action };
  }
}

export function formatDate(d: Date, locale: Locale): string {
  return date(d, locale);
}

export function formatEuros(cents: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    style: 'currency',
    currency: 'EUR',
  }).format(cents / 100);
}
