// What plugins' pages may use from the shell: `import … from '@vigie/admin-ui/shell'`.
export { definePluginUi, type PluginUi, type UiRoute, type UiMenuItem, type Audience } from './plugin.js';
export { useI18n, type Locale, type Catalogue } from './i18n.js';
export { useSession, type Me, type Tenant } from './session.js';
export { Page, Loading } from './page.js';
export { errorCode, errorDetails, csrfHeaders } from './client.js';
export { useErrorMessage, useForm, type FormError as FormErrorItem } from './forms.js';
export { AddressField } from './address-field.js';
export { graphql } from './graphql.js';
export * from '../gql/graphql.js';
export * from '../ds/index.js';
