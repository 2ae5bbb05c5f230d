// The commune (tenant) and the signed-in account, read once per page load and
// again after login, logout or a change of language.
import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from './graphql.js';
import type { SessionQuery } from '../gql/graphql.js';
import { setCsrfToken } from './client.js';

export const SessionDocument = graphql(`
  query Session {
    tenant {
      slug
      name
      status
      enabledPlugins
      basemap
      branding {
        displayName
        primaryColor
        secondaryColor
        logoUrl
      }
    }
    me {
      id
      displayName
      email
      emailVerified
      phone
      phoneVerified
      locale
      permissionsAnyScope
      csrfToken
      secondFactor
      roles {
        role
        scopeId
      }
    }
  }
`);

const LogoutDocument = graphql(`
  mutation Logout {
    logout
  }
`);

export type Tenant = NonNullable<SessionQuery['tenant']>;
export type Me = NonNullable<SessionQuery['me']>;

interface Session {
  tenant: Tenant | null;
  me: Me | null;
  loading: boolean;
  /** The session is being read again (after a login, a registration, a logout). */
  refreshing: boolean;
  refresh(): void;
  logout(): Promise<void>;
  can(permission: string): boolean;
}

const Ctx = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [{ data, fetching }, reexecute] = useQuery({ query: SessionDocument, requestPolicy: 'network-only' });
  const [, logoutMutation] = useMutation(LogoutDocument);
  const me = data?.me ?? null;
  const tenant = data?.tenant ?? null;

  useEffect(() => {
    setCsrfToken(me?.csrfToken);
  }, [me?.csrfToken]);

  useEffect(() => {
    if (!tenant) return;
    const root = document.documentElement.style;
    if (tenant.branding.primaryColor) root.setProperty('--brand-primary', tenant.branding.primaryColor);
    if (tenant.branding.secondaryColor) root.setProperty('--brand-secondary', tenant.branding.secondaryColor);
  }, [tenant]);

  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const logout = useCallback(async () => {
    await logoutMutation({});
    setCsrfToken(undefined);
    refresh();
  }, [logoutMutation, refresh]);
  const can = useCallback((p: string) => !!me?.permissionsAnyScope.includes(p), [me]);

  const value = useMemo(
    () => ({ tenant, me, loading: fetching && !data, refreshing: fetching, refresh, logout, can }),
    [tenant, me, fetching, data, refresh, logout, can],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}
