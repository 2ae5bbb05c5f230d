// Serves the built web front end (admin-ui/dist) from memory: hashed assets
// with a year of immutable cache, the shell's index.html for every page route
// of a commune (the SPA decides what the path means), and the service worker
// and manifest at the root. API paths never fall back to the page: an unknown
// /graphql/…, /p/…, /api/… or /webhooks/… stays a JSON 404.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { webDist } from './build.js';

interface Asset {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
  cache: string;
}

export interface WebAssets {
  files: Map<string, Asset>;
  index: Asset;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.webmanifest', '.json', '.txt']);

/** The page's security policy: everything from this origin; the map's tiles are added with the map. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https://data.geopf.fr",
  "connect-src 'self' ws: wss: https://data.geopf.fr",
  "worker-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

const loaded = new Map<string, { mtimeMs: number; web: WebAssets }>();

/** Reads admin-ui/dist (once per build of it); undefined when the front end has not been built. */
export function loadWebAssets(dist: string = webDist): WebAssets | undefined {
  const indexFile = path.join(dist, 'index.html');
  if (!existsSync(indexFile)) return undefined;
  const mtimeMs = statSync(indexFile).mtimeMs;
  const cached = loaded.get(dist);
  if (cached?.mtimeMs === mtimeMs) return cached.web;
  const web = readAssets(dist);
  loaded.set(dist, { mtimeMs, web });
  return web;
}

function readAssets(dist: string): WebAssets {
  const files = new Map<string, Asset>();
  const list: string[] = [];
  walk(dist, list);
  for (const file of list) {
    const rel = `/${path.relative(dist, file).split(path.sep).join('/')}`;
    const ext = path.extname(file);
    const body = readFileSync(file);
    const hashed = rel.startsWith('/assets/');
    files.set(rel, {
      body,
      gzip: COMPRESSIBLE.has(ext) && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined,
      type: TYPES[ext] ?? 'application/octet-stream',
      cache: hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  }
  const index = files.get('/index.html')!;
  files.delete('/index.html');
  return { files, index };
}

function send(req: FastifyRequest, reply: FastifyReply, a: Asset): FastifyReply {
  const gz = a.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  void reply
    .header('content-type', a.type)
    .header('cache-control', a.cache)
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-encoding');
  if (gz) void reply.header('content-encoding', 'gzip');
  return reply.send(gz ? a.gzip : a.body);
}

/** Sends the shell's page, with its security headers. */
export function sendShell(req: FastifyRequest, reply: FastifyReply, web: WebAssets): FastifyReply {
  void reply
    .status(200)
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY')
    .header('permissions-policy', 'camera=(), microphone=(), geolocation=(self)');
  return send(req, reply, web.index);
}

const API_PREFIXES = [
  '/graphql',
  '/graphiql',
  '/p/',
  '/api/',
  '/webhooks',
  '/assets/',
  '/openapi',
  '/healthz',
  '/readyz',
  '/operator',
  '/alerts/',
  '/residents/',
  '/dev/',
];

/** Whether a request the router did not match is a page of the SPA (a browser navigating). */
export function isPageRequest(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const p = req.url.split('?')[0] ?? '/';
  if (API_PREFIXES.some((x) => p === x.replace(/\/$/, '') || p.startsWith(x))) return false;
  if (/\.[a-z0-9]{1,12}$/i.test(p)) return false; // a missing file is a 404, not a page
  return /\btext\/html\b/.test(String(req.headers.accept ?? ''));
}

/** One route per built file (HEAD comes with each GET). */
export const webAssetRoutes: FastifyPluginAsync<{ web: WebAssets }> = async (app, { web }) => {
  for (const [url, asset] of web.files) {
    app.get(url, { schema: { hide: true }, config: { tenant: false } }, async (req, reply) =>
      send(req, reply, asset),
    );
  }
  app.get('/index.html', { schema: { hide: true }, config: { tenant: false } }, async (req, reply) =>
    sendShell(req, reply, web),
  );
};
