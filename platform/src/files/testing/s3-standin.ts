// A local stand-in that speaks the part of S3's HTTP API the file store uses
// (path-style PUT, GET, HEAD, DELETE of objects), so that the adapter is tested
// through the real AWS SDK. It checks that requests are SigV4-signed but not
// the signature itself.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3StandIn {
  endpoint: string;
  objects: Map<string, Buffer>;
  requests: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

function xmlError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

export async function startS3StandIn(): Promise<S3StandIn> {
  const objects = new Map<string, Buffer>();
  const requests: S3StandIn['requests'] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push({ method: req.method ?? '', path });
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
      res
        .writeHead(403, { 'content-type': 'application/xml' })
        .end(xmlError('AccessDenied', 'unsigned request'));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const stored = objects.get(path);
      if (req.method === 'PUT') {
        objects.set(path, Buffer.concat(chunks));
        res.writeHead(200, { etag: '"standin"' }).end();
      } else if (req.method === 'GET' || req.method === 'HEAD') {
        if (!stored) {
          res
            .writeHead(404, { 'content-type': 'application/xml' })
            .end(
              req.method === 'GET' ? xmlError('NoSuchKey', 'The specified key does not exist.') : undefined,
            );
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(stored.length),
          etag: '"standin"',
        });
        res.end(req.method === 'GET' ? stored : undefined);
      } else if (req.method === 'DELETE') {
        objects.delete(path);
        res.writeHead(204).end();
      } else {
        res.writeHead(405).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    objects,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
