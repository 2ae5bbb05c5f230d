// aws-ses-v2-local, started in-process on a free port, behind a thin recording
// proxy. The real SES client talks to the proxy (SES_ENDPOINT). The proxy
// records each API call's parameters (aws-ses-v2-local keeps the email but
// drops the configuration set and tags, which the tests must see) and can
// refuse chosen recipients the way SES does, or fail a fraction of calls.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocalModule from 'aws-ses-v2-local';
import { freePort } from './ports.js';

export interface SesLocalEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
}

export interface SesApiCall {
  action: string;
  params: Record<string, string>;
  status: number;
}

export interface SesLocal {
  endpoint: string;
  calls: SesApiCall[];
  /** Recipients answered with MessageRejected (e.g. "Email address is not verified…"). */
  rejections: Map<string, string>;
  /** Fraction (0–1) of calls answered 503 ServiceUnavailable. */
  failureRate: number;
  emails(): Promise<SesLocalEmail[]>;
  emailsTo(address: string): Promise<SesLocalEmail[]>;
  close(): Promise<void>;
}

type StartServer = (config?: { host?: string; port?: number }) => Promise<http.Server>;

// The package is CommonJS with an `exports.default`; depending on the loader the function is one level down.
function startFunction(): StartServer {
  const m = sesLocalModule as unknown as StartServer | { default: StartServer };
  return typeof m === 'function' ? m : m.default;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sesError(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(
    `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>`,
  );
}

export async function startSesLocal(): Promise<SesLocal> {
  const innerPort = await freePort();
  const inner = await startFunction()({ host: '127.0.0.1', port: innerPort });
  const calls: SesApiCall[] = [];
  const rejections = new Map<string, string>();
  const state = { failureRate: 0 };

  const proxy = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (
        req.method === 'POST' &&
        req.url === '/' &&
        String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')
      ) {
        const params = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
        const action = params.Action ?? '';
        const to = params['Destination.ToAddresses.member.1'] ?? params['Destinations.member.1'];
        if (Math.random() < state.failureRate) {
          calls.push({ action, params, status: 503 });
          return sesError(res, 503, 'ServiceUnavailable', 'Service is unavailable.');
        }
        const rejected = to ? rejections.get(to) : undefined;
        if (rejected) {
          calls.push({ action, params, status: 400 });
          return sesError(res, 400, 'MessageRejected', rejected);
        }
        calls.push({ action, params, status: 200 });
      }
      const upstream = http.request(
        { host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      upstream.end(body);
    })();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const emails = async () => {
    const res = await fetch(`http://127.0.0.1:${innerPort}/store`);
    return ((await res.json()) as { emails: SesLocalEmail[] }).emails;
  };
  return {
    endpoint,
    calls,
    rejections,
    get failureRate() {
      return state.failureRate;
    },
    set failureRate(v: number) {
      state.failureRate = v;
    },
    emails,
    emailsTo: async (address) =>
      (await emails()).filter((e) =>
        e.destination.to.some((t) => t.toLowerCase().includes(address.toLowerCase())),
      ),
    async close() {
      for (const s of [proxy, inner]) {
        await new Promise<void>((resolve) => {
          s.close(() => resolve());
          s.closeAllConnections();
        });
      }
    },
  };
}
