// Turns an untrusted commune definition (parsed YAML, an API body) into the
// desired state of a tenant, or a list of every problem found, each with the
// path of the field, so that one run shows everything to fix.
//
// Decisions:
// - The INSEE code must be a current commune (`commune-actuelle`); a commune
//   déléguée or a former commune is refused with the name of the one to use.
// - Every postal code must be one of the commune's (La Poste's list in the COG).
// - The name must be INSEE's, ignoring case, accents and hyphens. It is refused
//   otherwise: it is the name residents, police and SMS see, and a mismatch
//   usually means the INSEE code is the wrong one. The free-form name lives in
//   branding.displayName ("Ville de Serris").
// - Branding colours must contrast with white (WCAG 2.1): primaryColor is the
//   background of white text and the colour of text on white, so 4.5:1
//   (criterion 1.4.3); secondaryColor draws borders, icons and the focus ring,
//   so 3:1 (criterion 1.4.11). A failing colour is refused, with its ratio and
//   a darker colour of the same hue that passes.
import { Value } from '@sinclair/typebox/value';
import { fail } from './errors.js';
import type { VigiePlugin } from '../plugins/index.js';
import type { VigieError } from '../lib/errors.js';
import { communeRegistry, sameCommuneName, type CommuneRegistry } from './communes.js';
import { checkPluginSettings, type PluginState } from './plugins.js';
import {
  customMessage,
  TenantSpec,
  type FirstAdmin,
  type PoliceContact,
  type TenantStatus,
} from './schema.js';
import './errors.js';

export interface SpecIssue {
  /** JSON pointer into the definition, e.g. /branding/primaryColor. */
  path: string;
  message: string;
}

/** What a commune should look like once applied. */
export interface TenantDefinition {
  slug: string;
  name: string;
  inseeCode: string;
  postalCodes: string[];
  /** Undefined: not declared (trial on creation, unchanged afterwards). */
  status: TenantStatus | undefined;
  branding: { displayName: string; primaryColor: string; secondaryColor: string; logo?: string };
  /** `settings` of the YAML, plus `police` (the police municipale contact). */
  settings: Record<string, unknown> & { police: PoliceContact };
  domains: string[];
  /** Only the plugins the definition mentions; others are left as they are. */
  plugins: Record<string, PluginState>;
  firstAdmin: Required<FirstAdmin> | undefined;
}

export interface ValidateOptions {
  plugins: readonly VigiePlugin[];
  communes?: CommuneRegistry;
  /** Resolves branding.logo (a file of the tenant folder) to a data: URL, or returns an issue message. */
  resolveLogo?: (logo: string) => { dataUrl: string } | { problem: string };
}

export type ValidationResult =
  { ok: true; definition: TenantDefinition } | { ok: false; issues: SpecIssue[] };

export function validateTenantSpec(raw: unknown, opts: ValidateOptions): ValidationResult {
  const input = Value.Default(TenantSpec, Value.Clone(raw ?? {}));
  if (!Value.Check(TenantSpec, input)) return { ok: false, issues: schemaIssues(input) };
  const spec = input;
  const issues: SpecIssue[] = [
    ...communeIssues(spec, opts.communes ?? communeRegistry()),
    ...brandingContrastIssues(spec),
  ];

  const plugins: Record<string, PluginState> = {};
  for (const [id, entry] of Object.entries(spec.plugins ?? {})) {
    const plugin = opts.plugins.find((p) => p.id === id);
    if (!plugin) {
      const installed = opts.plugins.map((p) => p.id).join(', ') || 'aucun';
      issues.push({
        path: `/plugins/${id}`,
        message: `module inconnu « ${id} » (modules installés : ${installed})`,
      });
      continue;
    }
    const checked = checkPluginSettings(plugin, entry.settings ?? {});
    if (!checked.ok) {
      for (const i of checked.issues)
        issues.push({ path: `/plugins/${id}/settings${i.path}`, message: i.message });
      continue;
    }
    plugins[id] = { enabled: entry.enabled ?? true, settings: checked.value };
  }
  for (const [id, state] of Object.entries(plugins)) {
    if (!state.enabled) continue;
    const plugin = opts.plugins.find((p) => p.id === id)!;
    for (const dep of plugin.dependsOn) {
      if (plugins[dep]?.enabled === false)
        issues.push({
          path: `/plugins/${id}`,
          message: `dépend de « ${dep} », désactivé dans cette définition`,
        });
    }
  }

  let logo: string | undefined;
  if (spec.branding.logo !== undefined) {
    const r = opts.resolveLogo ? opts.resolveLogo(spec.branding.logo) : checkLogoDataUrl(spec.branding.logo);
    if ('problem' in r) issues.push({ path: '/branding/logo', message: r.problem });
    else logo = r.dataUrl;
  }
  if (issues.length) return { ok: false, issues };

  const lower = (c: string) => c.toLowerCase();
  return {
    ok: true,
    definition: {
      slug: spec.slug,
      name: spec.name,
      inseeCode: spec.inseeCode,
      postalCodes: spec.postalCodes,
      status: spec.status,
      branding: {
        displayName: spec.branding.displayName,
        primaryColor: lower(spec.branding.primaryColor),
        secondaryColor: lower(spec.branding.secondaryColor),
        ...(logo ? { logo } : {}),
      },
      settings: {
        ...(spec.settings ?? {}),
        police: { ...spec.police, email: spec.police.email.toLowerCase() },
      },
      domains: [...(spec.domains ?? [])].sort(),
      plugins,
      firstAdmin: spec.firstAdmin
        ? {
            email: spec.firstAdmin.email.toLowerCase(),
            displayName: spec.firstAdmin.displayName ?? `Mairie de ${spec.name}`.slice(0, 40),
          }
        : undefined,
    },
  };
}

/** Throws TENANT_SPEC_INVALID (400) with every issue in `details.issues`. */
export function assertValidTenantSpec(raw: unknown, opts: ValidateOptions): TenantDefinition {
  const r = validateTenantSpec(raw, opts);
  if (r.ok) return r.definition;
  throw specError(r.issues);
}

export function specError(issues: SpecIssue[]): VigieError {
  const first = issues
    .slice(0, 3)
    .map((i) => `${i.path || '/'} : ${i.message}`)
    .join(' ; ');
  return fail(
    'TENANT_SPEC_INVALID',
    `La définition de la commune est invalide (${issues.length} problème${issues.length > 1 ? 's' : ''}) : ${first}${issues.length > 3 ? ' ; …' : ''}.`,
    { issues },
  );
}

function schemaIssues(value: unknown): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const e of Value.Errors(TenantSpec, value)) {
    // A union (status) or a failed nested object yields several errors for one path: keep the first, most specific one.
    if (out.some((i) => i.path === e.path)) continue;
    const message =
      e.value === undefined ? 'champ obligatoire manquant' : (customMessage(e.schema) ?? e.message);
    out.push({ path: e.path, message });
  }
  return out;
}

function communeIssues(spec: TenantSpec, communes: CommuneRegistry): SpecIssue[] {
  const commune = communes.current(spec.inseeCode);
  if (!commune) {
    const other = communes.any(spec.inseeCode);
    const parent = other?.chefLieu ? communes.current(other.chefLieu) : undefined;
    const message = !other
      ? `code INSEE inconnu : ${spec.inseeCode} n'est pas une commune française (Code officiel géographique)`
      : parent
        ? `${spec.inseeCode} (${other.nom}) est une ${other.type.replace('commune-', 'commune ')} de ${parent.nom} : utilisez le code de la commune, ${parent.code}`
        : `${spec.inseeCode} (${other.nom}) n'est pas une commune actuelle (${other.type})`;
    return [{ path: '/inseeCode', message }];
  }
  const issues: SpecIssue[] = [];
  if (!sameCommuneName(spec.name, commune.nom)) {
    issues.push({
      path: '/name',
      message: `le code INSEE ${commune.code} est celui de « ${commune.nom} », pas de « ${spec.name} »`,
    });
  }
  const official = commune.codesPostaux ?? [];
  spec.postalCodes.forEach((cp, i) => {
    if (!official.includes(cp)) {
      issues.push({
        path: `/postalCodes/${i}`,
        message: `le code postal ${cp} n'appartient pas à ${commune.nom} (codes postaux : ${official.join(', ') || 'aucun connu'})`,
      });
    }
  });
  return issues;
}

/** Contrast a branding colour needs against white, and why (WCAG 2.1). */
const CONTRAST_RULES = [
  {
    field: 'primaryColor',
    min: 4.5,
    criterion: '1.4.3',
    use: 'fond du texte blanc et texte sur fond blanc',
  },
  {
    field: 'secondaryColor',
    min: 3,
    criterion: '1.4.11',
    use: 'bordures, icônes et anneau de focus',
  },
] as const;

function brandingContrastIssues(spec: TenantSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  for (const rule of CONTRAST_RULES) {
    const color = spec.branding[rule.field];
    const ratio = contrastWithWhite(color);
    if (ratio >= rule.min) continue;
    const darker = darkerColorFor(color, rule.min);
    issues.push({
      path: `/branding/${rule.field}`,
      message:
        `contraste ${formatRatio(ratio)}:1 avec le blanc, ${rule.min}:1 minimum ` +
        `(WCAG 2.1, critère ${rule.criterion} : ${rule.use}) : ` +
        `choisissez une couleur plus foncée (ex. ${darker})`,
    });
  }
  return issues;
}

/** WCAG 2.1 relative luminance of a #rrggbb colour (sRGB channels linearised). */
export function relativeLuminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (v: number) => {
    const c = v / 255;
    // WCAG 2.1 writes 0.03928, the sRGB standard 0.04045: no 8-bit value falls between.
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel((n >> 16) & 0xff) + 0.7152 * channel((n >> 8) & 0xff) + 0.0722 * channel(n & 0xff);
}

/** Contrast ratio (1 to 21) of a #rrggbb colour with white: (L1 + 0.05) / (L2 + 0.05). */
export function contrastWithWhite(hex: string): number {
  return (1 + 0.05) / (relativeLuminance(hex) + 0.05);
}

/** Rounded down, so that a refused colour never shows the minimum it misses (4.49, not 4.5). */
function formatRatio(ratio: number): string {
  return String(Math.floor(ratio * 100) / 100);
}

/** The lightest darkening of `hex` (same hue: channels scaled together) that reaches `min`. */
export function darkerColorFor(hex: string, min: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const rgb = [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const hex2 = (v: number) => v.toString(16).padStart(2, '0');
  for (let k = 100; k >= 0; k--) {
    const candidate = '#' + rgb.map((v) => hex2(Math.round((v * k) / 100))).join('');
    if (contrastWithWhite(candidate) >= min) return candidate;
  }
  return '#000000';
}

const MAX_LOGO_BYTES = 100_000;

/** A logo given as a data: URL (operator API): SVG or PNG, small, and an SVG must be inert. */
export function checkLogoDataUrl(value: string): { dataUrl: string } | { problem: string } {
  const m = /^data:(image\/svg\+xml|image\/png);base64,([A-Za-z0-9+/]+={0,2})$/.exec(value);
  if (!m)
    return { problem: 'logo attendu sous forme data:image/svg+xml;base64,… ou data:image/png;base64,…' };
  const bytes = Buffer.from(m[2]!, 'base64');
  return checkLogoBytes(m[1] as 'image/svg+xml' | 'image/png', bytes);
}

export function checkLogoBytes(
  type: 'image/svg+xml' | 'image/png',
  bytes: Buffer,
): { dataUrl: string } | { problem: string } {
  if (bytes.length === 0) return { problem: 'le logo est vide' };
  if (bytes.length > MAX_LOGO_BYTES) return { problem: `le logo dépasse ${MAX_LOGO_BYTES / 1000} ko` };
  if (
    type === 'image/png' &&
    !bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  ) {
    return { problem: "le fichier n'est pas une image PNG" };
  }
  if (type === 'image/svg+xml') {
    const svg = bytes.toString('utf8');
    if (!/<svg[\s>]/i.test(svg)) return { problem: "le fichier n'est pas une image SVG" };
    // The logo is served from the commune's own origin: an SVG carrying script
    // would run with the residents' session there.
    if (/<script|<foreignObject|\son[a-z]+\s*=|javascript:|<!ENTITY/i.test(svg)) {
      return {
        problem: 'le logo SVG contient du script, des gestionnaires d’événements ou des entités : refusé',
      };
    }
  }
  return { dataUrl: `data:${type};base64,${bytes.toString('base64')}` };
}
