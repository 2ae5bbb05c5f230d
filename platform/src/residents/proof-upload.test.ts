// Bad uploads are answered with a stable code and leave nothing behind: no
// file in the store, no residence, no proof row.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { Browser, createTestContext, type TestContext } from '../testing/index.js';
import { MAX_PROOF_BYTES, sniffProof } from './proofs.js';
import {
  filesOnDisk,
  JPEG,
  multipartBody,
  PDF,
  PNG,
  registerResident,
  setupCommune,
  uploadProof,
  uploadRaw,
  type TestCommune,
} from './testing/commune.js';

let ctx: TestContext;
let c: TestCommune;

beforeAll(async () => {
  ctx = await createTestContext();
  await ctx.startWorker();
  c = await setupCommune(ctx);
});
afterAll(async () => ctx?.close());

async function nothingLeft(accountId: string): Promise<void> {
  expect(await filesOnDisk(ctx)).toEqual([]);
  const counts = await withTenant(ctx.db, c.tenant.id, async (trx) => ({
    residences: Number((await trx('residences').where({ account_id: accountId }).count('* as n').first())?.n),
    proofs: Number(
      (
        await trx('proof_documents as p')
          .join('residences as r', 'r.id', 'p.residence_id')
          .where('r.account_id', accountId)
          .count('* as n')
          .first()
      )?.n,
    ),
  }));
  expect(counts).toEqual({ residences: 0, proofs: 0 });
}

const ELF = Buffer.concat([
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]),
  Buffer.alloc(4096, 0x90),
]);
const MZ = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(4096, 0)]);

describe('proof upload: what is refused', () => {
  it('identifies documents by their first bytes', () => {
    expect(sniffProof(PDF)).toBe('application/pdf');
    expect(sniffProof(JPEG)).toBe('image/jpeg');
    expect(sniffProof(PNG)).toBe('image/png');
    for (const bad of [
      ELF,
      MZ,
      Buffer.from('<html><script>'),
      Buffer.from('PK\x03\x04zip'),
      Buffer.from('%PD'),
    ])
      expect(sniffProof(bad)).toBeNull();
  });

  const cases: Array<[string, Buffer, number, string]> = [
    ['an ELF executable renamed to .pdf', ELF, 415, 'PROOF_TYPE_UNSUPPORTED'],
    ['a Windows executable renamed to .pdf', MZ, 415, 'PROOF_TYPE_UNSUPPORTED'],
    [
      'an HTML page declared as a PDF',
      Buffer.from('<!doctype html><script>alert(1)</script>'),
      415,
      'PROOF_TYPE_UNSUPPORTED',
    ],
    ['an empty file', Buffer.alloc(0), 400, 'PROOF_EMPTY'],
    [
      'a PDF of 11 MB',
      Buffer.concat([PDF, Buffer.alloc(11 * 1024 * 1024 - PDF.length, 0x20)]),
      413,
      'PROOF_TOO_LARGE',
    ],
  ];
  for (const [what, content, status, code] of cases) {
    it(`refuses ${what} with ${code} and keeps nothing`, async () => {
      const r = await registerResident(ctx, c.tenant);
      const res = await uploadProof(
        r.browser,
        { addressId: c.addresses.nord1 },
        { content, filename: 'facture-edf.pdf', type: 'application/pdf' },
      );
      expect(res.statusCode).toBe(status);
      expect(res.json()).toMatchObject({ code });
      await nothingLeft(r.accountId);
    });
  }

  it('accepts exactly 10 MB', async () => {
    const r = await registerResident(ctx, c.tenant);
    const res = await uploadProof(
      r.browser,
      { addressId: c.addresses.nord1 },
      { content: Buffer.concat([PNG, Buffer.alloc(MAX_PROOF_BYTES - PNG.length, 1)]), type: 'image/png' },
    );
    expect(res.statusCode, res.body).toBe(201);
    await r.browser.ok('mutation { withdrawVerification { id } }');
  });

  it('leaves nothing behind when the multipart stream is cut off in the middle of the file', async () => {
    const r = await registerResident(ctx, c.tenant);
    const big = Buffer.concat([PDF, Buffer.alloc(2 * 1024 * 1024, 0x41)]);
    const { body, contentType } = multipartBody({ addressId: c.addresses.nord1 }, { content: big });
    const cut = body.subarray(0, Math.floor(body.length / 2));
    const res = await uploadRaw(r.browser, cut, contentType);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PROOF_UPLOAD_INCOMPLETE' });
    await nothingLeft(r.accountId);
  });

  it('deletes the stored file when the address is refused after the upload', async () => {
    const r = await registerResident(ctx, c.tenant);
    const res = await uploadProof(
      r.browser,
      { addressId: '00000000-0000-4000-8000-000000000000' },
      { content: PDF },
    );
    expect(res.json()).toMatchObject({ code: 'ADDRESS_NOT_FOUND' });
    const none = await uploadProof(r.browser, {}, { content: PDF });
    expect(none.json()).toMatchObject({ code: 'ADDRESS_REQUIRED' });
    await nothingLeft(r.accountId);
  });

  it('asks for a file, a session, the CSRF token, and one request at a time', async () => {
    const r = await registerResident(ctx, c.tenant);
    expect((await uploadProof(r.browser, { addressId: c.addresses.nord1 })).json()).toMatchObject({
      code: 'PROOF_MISSING',
    });
    const anonymous = new Browser(ctx.app, c.tenant.host);
    expect(
      (await uploadProof(anonymous, { addressId: c.addresses.nord1 }, { content: PDF })).json(),
    ).toMatchObject({ code: 'UNAUTHENTICATED' });
    const noCsrf = new Browser(ctx.app, c.tenant.host);
    noCsrf.cookie = r.browser.cookie;
    expect(
      (await uploadProof(noCsrf, { addressId: c.addresses.nord1 }, { content: PDF })).json(),
    ).toMatchObject({ code: 'CSRF_TOKEN_INVALID' });
    await nothingLeft(r.accountId);

    expect(
      (await uploadProof(r.browser, { addressId: c.addresses.nord1 }, { content: JPEG, type: 'image/jpeg' }))
        .statusCode,
    ).toBe(201);
    const second = await uploadProof(r.browser, { addressId: c.addresses.nord2 }, { content: PDF });
    expect(second.json()).toMatchObject({ code: 'VERIFICATION_ALREADY_PENDING' });
    expect(await filesOnDisk(ctx)).toHaveLength(1);
    await r.browser.ok('mutation { withdrawVerification { id } }');
  });

  it('rate-limits uploads per account', async () => {
    const r = await registerResident(ctx, c.tenant);
    const codes: string[] = [];
    for (let i = 0; i < 11; i++)
      codes.push(
        (await uploadProof(r.browser, { addressId: c.addresses.nord1 }, { content: Buffer.alloc(0) })).json()
          .code as string,
      );
    expect(codes.slice(0, 10).every((code) => code === 'PROOF_EMPTY')).toBe(true);
    expect(codes[10]).toBe('RATE_LIMITED');
  });
});
