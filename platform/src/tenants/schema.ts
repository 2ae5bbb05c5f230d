// The shape of a commune as code: `tenants/<slug>/tenant.yaml`. The same schema
// validates the YAML, the operator API's request body, and gives the type.
// `errorMessage` is ours: when a value is refused, that sentence is shown
// instead of TypeBox's generic one, because the reader is a person editing YAML.
// Fastify's Ajv (strict) does not know that keyword: route schemas that Ajv
// compiles must not reuse these schemas (see routes.ts).
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const SLUG_PATTERN = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';
const PLUGIN_ID_PATTERN = '^[a-z][a-z0-9-]{1,40}$';

const text = (min: number, max: number, errorMessage: string, extra: Record<string, unknown> = {}) =>
  Type.String({ minLength: min, maxLength: max, errorMessage, ...extra });

export const Slug = Type.String({
  pattern: SLUG_PATTERN,
  errorMessage: 'identifiant attendu en minuscules, chiffres et tirets (ex. magny-le-hongre)',
});
export const HexColor = Type.String({
  pattern: '^#[0-9a-fA-F]{6}$',
  errorMessage: 'couleur attendue au format #rrggbb (ex. #1d4f91)',
});
export const InseeCode = Type.String({
  pattern: '^(\\d{5}|2[AB]\\d{3})$',
  errorMessage: 'code INSEE attendu sur 5 caractères (ex. 77449)',
});
export const PostalCode = Type.String({
  pattern: '^\\d{5}$',
  errorMessage: 'code postal attendu sur 5 chiffres',
});
export const EMAIL_PATTERN =
  "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$";
export const Email = Type.String({
  maxLength: 254,
  pattern: EMAIL_PATTERN,
  errorMessage: 'adresse e-mail invalide',
});
/** A French number as people write it: 01 60 43 27 15, 01.60.43.27.15, +33 1 60 43 27 15. */
export const FrenchPhone = Type.String({
  pattern: '^(\\+33 ?[1-9]|0[1-9])([ .]?\\d{2}){4}$',
  errorMessage: 'numéro de téléphone français attendu (ex. 01 60 43 27 15)',
});
export const Domain = Type.String({
  maxLength: 253,
  pattern: '^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$',
  errorMessage: 'nom de domaine en minuscules attendu (ex. vigilance.serris.fr)',
});
export const TenantStatus = Type.Union(
  [Type.Literal('trial'), Type.Literal('active'), Type.Literal('suspended')],
  {
    errorMessage: 'statut attendu : trial, active ou suspended',
  },
);
export type TenantStatus = Static<typeof TenantStatus>;

export const Branding = Type.Object(
  {
    displayName: text(1, 80, 'nom affiché attendu (1 à 80 caractères)'),
    primaryColor: HexColor,
    secondaryColor: HexColor,
    /**
     * In a tenant folder: a file next to tenant.yaml (logo.svg, logo.png).
     * Through the operator API: a `data:image/svg+xml;base64,…` or `data:image/png;base64,…` URL.
     */
    logo: Type.Optional(text(1, 200_000, 'logo attendu : un fichier du dossier (logo.svg) ou une URL data:')),
  },
  { additionalProperties: false },
);
export type Branding = Static<typeof Branding>;

export const PoliceContact = Type.Object(
  {
    phone: FrenchPhone,
    email: Email,
    address: Type.Object(
      {
        street: text(3, 120, 'adresse attendue (ex. 12 rue Émile Cloud)'),
        postalCode: PostalCode,
        city: text(1, 80, 'ville attendue'),
      },
      { additionalProperties: false },
    ),
    /** Opening hours as shown to residents, free text. */
    hours: Type.Optional(text(1, 200, 'horaires : 200 caractères au plus')),
  },
  { additionalProperties: false },
);
export type PoliceContact = Static<typeof PoliceContact>;

export const PluginEntry = Type.Object(
  {
    /** Omitted: true. */
    enabled: Type.Optional(Type.Boolean({ errorMessage: 'enabled attend true ou false' })),
    settings: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type PluginEntry = Static<typeof PluginEntry>;

/**
 * Settings the platform knows are validated; other keys pass through, so that a
 * module can read a new setting before this schema learns about it.
 */
export const TenantSettings = Type.Object(
  {
    retention: Type.Optional(
      Type.Object(
        {
          /** Closed alerts and their messages. */
          alertsDays: Type.Optional(
            Type.Integer({ minimum: 30, maximum: 3650, errorMessage: 'durée en jours entre 30 et 3650' }),
          ),
          /** A proof of address is deleted once checked; this bounds an undecided one. */
          proofOfAddressDays: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 90, errorMessage: 'durée en jours entre 1 et 90' }),
          ),
          auditLogDays: Type.Optional(
            Type.Integer({ minimum: 180, maximum: 3650, errorMessage: 'durée en jours entre 180 et 3650' }),
          ),
          inactiveAccountDays: Type.Optional(
            Type.Integer({ minimum: 90, maximum: 3650, errorMessage: 'durée en jours entre 90 et 3650' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    /** SMS the commune pays for each month, across every alert; beyond it, email and in-app only. */
    smsMonthlyBudget: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 10_000_000,
        errorMessage: 'nombre de SMS par mois attendu (entier positif)',
      }),
    ),
    timezone: Type.Optional(
      Type.Literal('Europe/Paris', { errorMessage: 'seul le fuseau Europe/Paris est pris en charge' }),
    ),
    /** Stored by the platform from the `police` section: not a setting one writes here. */
    police: Type.Optional(
      Type.Never({ errorMessage: 'clé réservée : décrivez la police municipale dans la section `police`' }),
    ),
  },
  { additionalProperties: true },
);
export type TenantSettings = Static<typeof TenantSettings>;

export const FirstAdmin = Type.Object(
  {
    email: Email,
    displayName: Type.Optional(text(2, 40, "nom d'affichage de 2 à 40 caractères")),
  },
  { additionalProperties: false },
);
export type FirstAdmin = Static<typeof FirstAdmin>;

export const TenantSpec = Type.Object(
  {
    slug: Slug,
    /** The official name of the commune, as INSEE writes it. */
    name: text(1, 100, 'nom officiel de la commune attendu'),
    inseeCode: InseeCode,
    postalCodes: Type.Array(PostalCode, {
      minItems: 1,
      maxItems: 30,
      uniqueItems: true,
      errorMessage: 'au moins un code postal, sans doublon',
    }),
    status: Type.Optional(TenantStatus),
    branding: Branding,
    police: PoliceContact,
    domains: Type.Optional(
      Type.Array(Domain, {
        maxItems: 10,
        uniqueItems: true,
        errorMessage: 'au plus 10 domaines, sans doublon',
      }),
    ),
    plugins: Type.Optional(Type.Record(Type.String({ pattern: PLUGIN_ID_PATTERN }), PluginEntry)),
    firstAdmin: Type.Optional(FirstAdmin),
    settings: Type.Optional(TenantSettings),
  },
  { additionalProperties: false, $id: 'TenantSpec' },
);
export type TenantSpec = Static<typeof TenantSpec>;

/** TypeBox schemas carry our `errorMessage` option; read it without a cast at every call. */
export function customMessage(schema: TSchema): string | undefined {
  const m = (schema as { errorMessage?: unknown }).errorMessage;
  return typeof m === 'string' ? m : undefined;
}
