// Communes as code and their administration by platform operators: the
// tenant.yaml schema and its checks (INSEE, postal codes, plugins), the apply
// (diff, then one transaction per commune), suspension, per-commune plugin
// enablement, and the operator API under /operator/communes.
// The CLI (`vigie tenants …`) lives in main/commands/tenants.ts because it needs
// the composition root's list of installed plugins.
import { defineCoreModule } from '../core/module.js';
import { tenantErrors } from './errors.js';
import { operatorCommuneRoutes } from './routes.js';

export const tenantsModule = defineCoreModule({
  id: 'tenants',
  routes: operatorCommuneRoutes,
  errors: tenantErrors,
});
