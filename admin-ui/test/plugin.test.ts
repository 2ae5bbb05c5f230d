// The one rule that decides what the shell shows: a plugin's page only where
// the commune enabled the plugin, for the audience it declares, and with the
// permission it needs (a referent's scoped grant counts: the server checks
// each action with its scope).
import { describe, expect, it } from 'vitest';
import { allowed, definePluginUi } from '../src/shell/plugin.js';

const resident = {
  enabledPlugins: ['voisins-vigilants'],
  signedIn: true,
  permissions: ['alerts.alert.raise'],
};
const referent = {
  ...resident,
  permissions: [...resident.permissions, 'voisins-vigilants.membership.validate'],
};
const visitor = { enabledPlugins: ['voisins-vigilants'], signedIn: false, permissions: [] };

describe('allowed()', () => {
  it('hides a plugin the commune has not enabled, even from staff', () => {
    expect(allowed('mairie-vigilante', { permission: 'x' }, { ...referent, permissions: ['x'] })).toBe(false);
    expect(allowed('voisins-vigilants', {}, resident)).toBe(true);
  });

  it('follows the audience: signed-in by default, anyone, visitors only', () => {
    expect(allowed('voisins-vigilants', {}, visitor)).toBe(false);
    expect(allowed(null, { audience: 'anyone' }, visitor)).toBe(true);
    expect(allowed(null, { audience: 'visitor-only' }, visitor)).toBe(true);
    expect(allowed(null, { audience: 'visitor-only' }, resident)).toBe(false);
  });

  it('asks for the permission, any of a list', () => {
    const desk = { permission: 'voisins-vigilants.membership.validate' };
    expect(allowed('voisins-vigilants', desk, resident)).toBe(false);
    expect(allowed('voisins-vigilants', desk, referent)).toBe(true);
    expect(allowed('voisins-vigilants', { permission: ['nope', 'alerts.alert.raise'] }, resident)).toBe(true);
  });
});

describe('definePluginUi()', () => {
  it('refuses a route that is not absolute', () => {
    expect(() =>
      definePluginUi({
        pluginId: 'p',
        messages: { fr: {}, en: () => Promise.resolve({}) },
        routes: [{ path: 'x', page: () => null }],
        menu: [],
      }),
    ).toThrow(/must start with \//);
  });
});
