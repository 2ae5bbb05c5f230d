// The shell's own pages and every plugin's ui/entry.tsx, found at build time.
// Plugins are discovered, not imported by name: adding a plugin's pages never
// means editing the shell.
import type { PluginUi } from './plugin.js';
import { corePages } from '../pages/entry.js';
import { billingPages } from '../pages/billing/entry.js';
import { operatorPages } from '../pages/operator/entry.js';

const found = import.meta.glob<{ default: PluginUi }>('../../../plugins/*/ui/entry.tsx', { eager: true });

export const uiEntries: PluginUi[] = [
  corePages,
  billingPages,
  operatorPages,
  ...Object.keys(found)
    .sort()
    .map((k) => found[k]!.default),
];
