import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FileNotFoundError, localDiskStore, readAll, tenantFiles } from './index.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'vigie-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const SECRET = 'a test secret that is long enough to derive keys';
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('local disk store', () => {
  const store = localDiskStore(path.join(root, 'plain'));

  it('stores, reads, tells existence and deletes (idempotently)', async () => {
    await store.put('proofs/abc', Buffer.from('hello'));
    expect(await store.exists('proofs/abc')).toBe(true);
    expect((await readAll(await store.get('proofs/abc'))).toString()).toBe('hello');
    await store.delete('proofs/abc');
    await store.delete('proofs/abc');
    expect(await store.exists('proofs/abc')).toBe(false);
    await expect(store.get('proofs/abc')).rejects.toBeInstanceOf(FileNotFoundError);
  });

  it('leaves nothing behind when the body stream fails half-way', async () => {
    const body = new PassThrough();
    const put = store.put('proofs/cut', body);
    body.write(Buffer.alloc(64 * 1024, 1));
    await new Promise((r) => setTimeout(r, 20));
    body.destroy(new Error('client went away'));
    await expect(put).rejects.toThrow('client went away');
    expect(await store.exists('proofs/cut')).toBe(false);
    expect(allFiles(path.join(root, 'plain'))).toEqual([]);
  });

  it('refuses keys that could escape its directory', async () => {
    for (const key of ['../x', 'a/../../b', '/etc/passwd', 'a//b', 'a.pdf'])
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow('Invalid file key');
  });
});

describe('per-commune encryption at rest', () => {
  const raw = localDiskStore(path.join(root, 'enc'));
  const a = tenantFiles(raw, SECRET, A);
  const b = tenantFiles(raw, SECRET, B);
  const secretText = Buffer.from('Facture EDF — M. Dupont, 12 rue Émile Cloud, 77700 Serris. '.repeat(2000));

  it('writes ciphertext only, and reads the plaintext back through the same commune', async () => {
    await a.put('proofs/p1', Readable.from([secretText.subarray(0, 1000), secretText.subarray(1000)]));
    const [file] = allFiles(path.join(root, 'enc'));
    expect(file).toContain(path.join('tenants', A, 'proofs', 'p1'));
    const onDisk = readFileSync(file!);
    expect(onDisk.includes(Buffer.from('Dupont'))).toBe(false);
    expect(onDisk.length).toBe(secretText.length + 32);
    expect((await readAll(await a.get('proofs/p1'))).equals(secretText)).toBe(true);
  });

  it('does not let another commune read it, even given the raw bytes under its own prefix', async () => {
    await expect(b.get('proofs/p1')).rejects.toBeInstanceOf(FileNotFoundError);
    // Copy A's ciphertext where B would look: B's key (and the bound storage key) refuse it.
    const src = allFiles(path.join(root, 'enc')).find((f) => f.endsWith('p1'))!;
    await raw.put(`tenants/${B}/proofs/p1`, readFileSync(src));
    await expect(readAll(await b.get('proofs/p1'))).rejects.toThrow();
  });

  it('detects a tampered or swapped file', async () => {
    await a.put('proofs/p2', Buffer.from('short document'));
    const file = allFiles(path.join(root, 'enc')).find((f) => f.endsWith(path.join(A, 'proofs', 'p2')))!;
    const bytes = readFileSync(file);
    bytes[20] = bytes[20]! ^ 0xff;
    writeFileSync(file, bytes);
    await expect(readAll(await a.get('proofs/p2'))).rejects.toThrow();
    // The storage key is authenticated too: p1's bytes moved to p3 do not decrypt.
    const p1 = allFiles(path.join(root, 'enc')).find((f) => f.endsWith(path.join(A, 'proofs', 'p1')))!;
    await raw.put(`tenants/${A}/proofs/p3`, readFileSync(p1));
    await expect(readAll(await a.get('proofs/p3'))).rejects.toThrow();
  });
});

describe('S3-compatible store (real AWS SDK against a local stand-in)', () => {
  it('stores encrypted objects under the commune prefix, reads them back, tells existence and deletes', async () => {
    const { startS3StandIn } = await import('./testing/s3-standin.js');
    const { s3Store } = await import('./s3.js');
    const standIn = await startS3StandIn();
    try {
      const raw = s3Store({
        bucket: 'vigie-proofs',
        region: 'eu-west-3',
        endpoint: standIn.endpoint,
        prefix: 'test/',
        credentials: { accessKeyId: 'stand-in', secretAccessKey: 'stand-in' },
      });
      const files = tenantFiles(raw, SECRET, A);
      const doc = Buffer.from('%PDF-1.7 quittance de loyer '.repeat(500));
      await files.put('proofs/s3a', Readable.from([doc]));
      const objectKey = `/vigie-proofs/test/tenants/${A}/proofs/s3a`;
      expect([...standIn.objects.keys()]).toEqual([objectKey]);
      expect(standIn.objects.get(objectKey)!.includes(Buffer.from('quittance'))).toBe(false);
      expect(await files.exists('proofs/s3a')).toBe(true);
      expect((await readAll(await files.get('proofs/s3a'))).equals(doc)).toBe(true);
      await files.delete('proofs/s3a');
      expect(await files.exists('proofs/s3a')).toBe(false);
      await expect(files.get('proofs/s3a')).rejects.toBeInstanceOf(FileNotFoundError);
      // A body that fails never reaches the bucket.
      const body = new PassThrough();
      const put = files.put('proofs/s3b', body);
      body.write(Buffer.from('%PDF-'));
      body.destroy(new Error('cut'));
      await expect(put).rejects.toThrow('cut');
      expect(standIn.objects.size).toBe(0);
      expect(standIn.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
    } finally {
      await standIn.close();
    }
  });
});
