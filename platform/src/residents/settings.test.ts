// The residents module reads the commune's settings as tenant.yaml writes
// them: the demo communes' settings must work (a wrong key name here made every
// proof upload in Serris fail), and bad values are refused with the module's code.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { residentsSettings, DEFAULTS } from './settings.js';

const tenantsDir = path.resolve(import.meta.dirname, '../../../tenants');

describe('residents settings', () => {
  it('accept every demo commune of tenants/', () => {
    const slugs = readdirSync(tenantsDir).filter((d) => existsSync(path.join(tenantsDir, d, 'tenant.yaml')));
    expect(slugs.length).toBeGreaterThan(0);
    for (const slug of slugs) {
      const doc = parse(readFileSync(path.join(tenantsDir, slug, 'tenant.yaml'), 'utf8')) as {
        settings?: Record<string, unknown>;
      };
      expect(() => residentsSettings(doc.settings), slug).not.toThrow();
    }
  });

  it('take the proof bound from proofOfAddressDays, the name tenant.yaml documents', () => {
    expect(
      residentsSettings({ retention: { alertsDays: 365, proofOfAddressDays: 12 } }).retention.proofMaxDays,
    ).toBe(12);
    expect(
      residentsSettings({ retention: { proofMaxDays: 5, proofOfAddressDays: 12 } }).retention.proofMaxDays,
    ).toBe(5);
    expect(residentsSettings({}).retention).toEqual(DEFAULTS.retention);
  });

  it('refuse a bad value with RESIDENT_SETTINGS_INVALID', () => {
    expect(() => residentsSettings({ retention: { proofOfAddressDays: 400 } })).toThrow(
      expect.objectContaining({ code: 'RESIDENT_SETTINGS_INVALID' }),
    );
    expect(() => residentsSettings({ retention: { unknownKey: 1 } })).toThrow(
      expect.objectContaining({ code: 'RESIDENT_SETTINGS_INVALID' }),
    );
  });
});
