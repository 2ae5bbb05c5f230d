// How a plugin adds pages to the shell: it declares them in `plugins/<id>/ui/entry.tsx`
// with definePluginUi (routes, menu items, the permission each needs, its own
// message catalogues). The shell finds the entries at build time and shows a
// plugin's pages only where the commune has enabled it and the user may use them.
// A plugin's pages import the shell (`@vigie/admin-ui/shell`), never another plugin.
import type { ComponentType, LazyExoticComponent } from 'react';
import type { Messages } from './i18n.js';

/** Who may open a page: anyone (visitors too), or a signed-in account. */
export type Audience = 'anyone' | 'signed-in' | 'visitor-only';

export interface UiRoute {
  /** react-router path, e.g. `/communaute/discussions/:id`. */
  path: string;
  page: LazyExoticComponent<ComponentType> | ComponentType;
  audience?: Audience;
  /** A permission from the server's catalogue (`me.permissionsAnyScope`: the server checks each action with its scope); any of them when an array. */
  permission?: string | string[];
}

export interface UiMenuItem {
  to: string;
  /** A message key of the plugin's (or the shell's) catalogue. */
  label: string;
  audience?: Audience;
  permission?: string | string[];
  /** Smaller first; the shell's own items are 0–99. */
  order?: number;
}

export interface PluginUi {
  /** The plugin's id on the server (`tenant.enabledPlugins`); null for the shell's own pages. */
  pluginId: string | null;
  /** French, and English loaded when someone chooses it (kept out of the first route). */
  messages: Messages;
  routes: UiRoute[];
  menu: UiMenuItem[];
  /** Blocks shown on a signed-in user's home page, in order. */
  home?: Array<{
    component: ComponentType;
    audience?: Audience;
    permission?: string | string[];
    order?: number;
  }>;
}

export function definePluginUi(p: PluginUi): PluginUi {
  for (const r of p.routes) if (!r.path.startsWith('/')) throw new Error(`route ${r.path} must start with /`);
  return p;
}

export interface Viewer {
  enabledPlugins: readonly string[];
  signedIn: boolean;
  permissions: readonly string[];
}

/** The one place that decides whether the shell shows a page or a menu item. */
export function allowed(
  pluginId: string | null,
  rule: { audience?: Audience; permission?: string | string[] },
  viewer: Viewer,
): boolean {
  if (pluginId && !viewer.enabledPlugins.includes(pluginId)) return false;
  const audience = rule.audience ?? 'signed-in';
  if (audience === 'signed-in' && !viewer.signedIn) return false;
  if (audience === 'visitor-only' && viewer.signedIn) return false;
  if (rule.permission) {
    const wanted = Array.isArray(rule.permission) ? rule.permission : [rule.permission];
    if (!wanted.some((p) => viewer.permissions.includes(p))) return false;
  }
  return true;
}
