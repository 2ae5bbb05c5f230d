// Proposed sectors, without a database: on the repository's generated communes
// and on shapes that break naive partitions (one address, many streets at one
// point, a single line, a regular grid, interleaved streets). Every proposal
// must be valid sector geometry, cover every address, overlap nothing, keep
// each street whole and stay within the commune extent's margins.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBanCsv } from './ban-check.js';
import { proposeSectors, type ProposalAddress } from './propose.js';
import { validateSectorGeometry } from './sector-geometry.js';
import { locateInPart, shapesOverlap } from './geometry.js';

const tenants = path.resolve(import.meta.dirname, '../../../tenants');
const repoCommune = (slug: string, insee: string) =>
  checkBanCsv(readFileSync(path.join(tenants, slug, 'addresses.csv'), 'utf8'), insee).addresses;

const street = (i: number) => ({ streetKey: `s${i}`, nomVoie: `Rue ${i}` });
const CASES: Record<string, ProposalAddress[]> = {
  'one address': [{ lon: 2.5, lat: 48.5, ...street(0) }],
  'five streets at one point': Array.from({ length: 50 }, (_, i) => ({
    lon: 2.5,
    lat: 48.5,
    ...street(i % 5),
  })),
  'a single line': Array.from({ length: 300 }, (_, i) => ({
    lon: 2.5 + i * 1e-4,
    lat: 48.5,
    ...street(Math.floor(i / 30)),
  })),
  'a regular grid': Array.from({ length: 900 }, (_, i) => ({
    lon: 2.5 + (i % 30) * 2e-4,
    lat: 48.5 + Math.floor(i / 30) * 2e-4,
    ...street(Math.floor(i / 30)),
  })),
  'interleaved streets': Array.from({ length: 600 }, (_, i) => ({
    lon: 2.5 + (i % 60) * 1e-4,
    lat: 48.5 + (i % 2) * 1e-5 + Math.floor(i / 60) * 3e-4,
    ...street((i % 2) + 2 * Math.floor(i / 120)),
  })),
};

function expectPartition(addresses: ProposalAddress[], count?: number): number[] {
  const proposal = proposeSectors(addresses, count ? { count } : {});
  const shapes = proposal.map((s) => validateSectorGeometry(s.geometry));
  for (let i = 0; i < shapes.length; i++)
    for (let j = 0; j < i; j++)
      expect(shapesOverlap(shapes[i]!.parts, shapes[j]!.parts), `${i} and ${j}`).toBe(false);
  for (const a of addresses)
    expect(shapes.some((s) => s.parts.some((p) => locateInPart([a.lon, a.lat], p) !== 'outside'))).toBe(true);
  const streets = proposal.flatMap((s) => s.streets);
  expect(new Set(streets).size).toBe(streets.length);
  const households = proposal.map((s) => s.households);
  expect(households.reduce((a, b) => a + b, 0)).toBe(addresses.length);
  expect(new Set(proposal.map((s) => s.name)).size).toBe(proposal.length);
  return households;
}

describe('proposed sectors', () => {
  it("partition Serris's 3,000 addresses into sectors of comparable size", () => {
    const addresses = repoCommune('serris', '77449');
    const eight = expectPartition(addresses);
    expect(eight).toHaveLength(8);
    expect(Math.max(...eight) / Math.min(...eight)).toBeLessThan(1.4);
    expect(expectPartition(addresses, 12)).toHaveLength(12);
  });

  for (const [name, addresses] of Object.entries(CASES))
    it(`hold on ${name}`, () => {
      for (const count of [undefined, 1, 5, 50]) expectPartition(addresses, count);
    });
});
