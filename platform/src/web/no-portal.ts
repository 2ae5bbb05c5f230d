// The page a browser gets instead of the portal's shell when a host has no
// portal: no commune answers to it (404), or the commune left and its data was
// deleted (410). A page of its own, served without the front end's build, so
// that a resident following an old link reads why, in their language, rather
// than an empty portal or a JSON error.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml } from '../notifications/index.js';
import { CONTENT_SECURITY_POLICY } from './assets.js';

export type NoPortal = { kind: 'unknown' } | { kind: 'closed'; name: string };

const TEXT = {
  fr: {
    unknown: {
      title: 'Aucune commune à cette adresse',
      body: 'Aucun portail Vigie ne correspond à cette adresse. Vérifiez-la, ou demandez à votre mairie l’adresse de son portail.',
    },
    closed: {
      title: (name: string) => `Le portail de ${name} est fermé`,
      body: 'La commune a quitté Vigie : son portail est fermé et ses données ont été supprimées. Pour toute question, adressez-vous à votre mairie.',
    },
  },
  en: {
    unknown: {
      title: 'No commune at this address',
      body: 'No Vigie portal matches this address. Check it, or ask your town hall for its portal’s address.',
    },
    closed: {
      title: (name: string) => `The portal of ${name} is closed`,
      body: 'The commune has left Vigie: its portal is closed and its data has been deleted. For any question, contact your town hall.',
    },
  },
};

export function noPortalPage(what: NoPortal, locale: 'fr' | 'en'): string {
  const t = TEXT[locale];
  const title = what.kind === 'closed' ? t.closed.title(what.name) : t.unknown.title;
  const body = what.kind === 'closed' ? t.closed.body : t.unknown.body;
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Vigie</title>
<style>
body { margin: 0; font-family: system-ui, sans-serif; color: #1e1e1e; background: #f6f6f6; line-height: 1.5; }
main { max-width: 40rem; margin: 4rem auto; padding: 2rem; background: #fff; border-radius: 0.5rem; }
h1 { font-size: 1.75rem; margin-top: 0; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(body)}</p>
</main>
</body>
</html>
`;
}

export function sendNoPortal(req: FastifyRequest, reply: FastifyReply, what: NoPortal): FastifyReply {
  return reply
    .status(what.kind === 'closed' ? 410 : 404)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'same-origin')
    .send(noPortalPage(what, req.locale()));
}
