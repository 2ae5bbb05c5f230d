import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config/config.js';

/**
 * Logs carry the request id (pino's reqId) and, once resolved, the tenant id.
 * They never carry a password, a token, a phone number or a document: those
 * paths are redacted wherever they appear.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.phone',
  '*.email',
  '*.secret',
  '*.totp',
  '*.code',
];

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      // Query strings can carry tokens (email verification links): log the path only.
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        path: req.url.split('?')[0],
        id: req.id,
      }),
    },
  };
}
