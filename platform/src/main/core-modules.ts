// The platform's core modules, in the order their GraphQL and routes are registered.
import type { CoreModule } from '../core/module.js';
import { identityModule } from '../identity/index.js';
import { tenantsModule } from '../tenants/index.js';
import { geoModule } from '../geo/index.js';
import { notificationsModule } from '../notifications/index.js';
import { residentsModule } from '../residents/index.js';
import { alertsModule } from '../alerts/index.js';
import { retentionModule } from '../retention/index.js';
import { billingModule } from '../billing/index.js';
import { noticesModule } from '../notices/index.js';
import { callsModule } from '../calls/index.js';

export const coreModules: readonly CoreModule[] = [
  identityModule,
  tenantsModule,
  geoModule,
  notificationsModule,
  residentsModule,
  alertsModule,
  retentionModule,
  billingModule,
  noticesModule,
  callsModule,
];
