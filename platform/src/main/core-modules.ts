// The platform's core modules, in the order their GraphQL and routes are registered.
import type { CoreModule } from '../core/module.js';
import { identityModule } from '../identity/module.js';
import { tenantsModule } from '../tenants/module.js';
import { geoModule } from '../geo/module.js';
import { notificationsModule } from '../notifications/module.js';
import { residentsModule } from '../residents/module.js';
import { alertsModule } from '../alerts/module.js';
import { retentionModule } from '../retention/module.js';

export const coreModules: readonly CoreModule[] = [
  identityModule,
  tenantsModule,
  geoModule,
  notificationsModule,
  residentsModule,
  alertsModule,
  retentionModule,
];
