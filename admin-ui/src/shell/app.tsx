// The shell: language, session, router. Routes come from the entries (the
// shell's own and the plugins'); one not allowed for this viewer is not found,
// or asks to log in when only the session is missing.
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useHref, useLocation, useNavigate } from 'react-router';
import { RouterProvider } from 'react-aria-components';
import { Provider as UrqlProvider, useMutation } from 'urql';
import { graphql } from './graphql.js';
import { createClient, setRequestLocale } from './client.js';
import {
  I18nProvider,
  cataloguesReady,
  initialLocale,
  loadCatalogues,
  rememberLocale,
  type Locale,
} from './i18n.js';
import { SessionProvider, useSession } from './session.js';
import { Layout, useViewer } from './layout.js';
import { allowed } from './plugin.js';
import { uiEntries } from './registry.js';
import { Loading } from './page.js';
import { NotFoundPage } from '../pages/not-found.js';

const SetLocaleDocument = graphql(`
  mutation SetMyLocale($locale: Locale!) {
    setMyLocale(locale: $locale) {
      id
      locale
    }
  }
`);

function AppRoutes() {
  const viewer = useViewer();
  const { refreshing } = useSession();
  const location = useLocation();
  const routes = uiEntries.flatMap((e) => e.routes.map((r) => ({ ...r, pluginId: e.pluginId })));
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        {routes.map((r) => {
          const Page = r.page;
          const ok = allowed(r.pluginId, r, viewer);
          const needsLogin =
            !ok &&
            !viewer.signedIn &&
            (r.audience ?? 'signed-in') === 'signed-in' &&
            allowed(r.pluginId, { audience: 'anyone' }, viewer);
          const element = ok ? (
            <Page />
          ) : needsLogin && refreshing ? (
            <Loading />
          ) : needsLogin ? (
            <Navigate
              to={`/connexion?suite=${encodeURIComponent(location.pathname + location.search)}`}
              replace
            />
          ) : (
            <NotFoundPage />
          );
          return <Route key={`${r.pluginId}:${r.path}`} path={r.path} element={element} />;
        })}
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Suspense>
  );
}

function Localised() {
  const { me, tenant, loading, refresh } = useSession();
  const [locale, setLocaleState] = useState<Locale>(() => {
    const l = initialLocale();
    setRequestLocale(l);
    return l;
  });
  const [, saveLocale] = useMutation(SetLocaleDocument);
  const extra = useMemo(() => uiEntries.map((e) => e.messages), []);
  // The language shown: the chosen one once its catalogues are loaded (the
  // previous one meanwhile, so a switch never shows a mix or a blank page).
  const [shown, setShown] = useState<Locale>(() => (cataloguesReady(locale, extra) ? locale : 'fr'));
  useEffect(() => {
    let gone = false;
    void loadCatalogues(locale, extra).then(() => {
      if (!gone) setShown(locale);
    });
    return () => {
      gone = true;
    };
  }, [locale, extra]);
  // After login the account's language wins over the browser's.
  useEffect(() => {
    if (me && (me.locale === 'fr' || me.locale === 'en') && me.locale !== locale) {
      setLocaleState(me.locale);
      rememberLocale(me.locale);
    }
  }, [me?.id, me?.locale]);
  useEffect(() => {
    document.documentElement.lang = shown;
    setRequestLocale(shown);
  }, [shown]);
  const onLocale = useCallback(
    (l: Locale) => {
      setLocaleState(l);
      rememberLocale(l);
      if (me) void saveLocale({ locale: l }).then(() => refresh());
    },
    [me, saveLocale, refresh],
  );
  const navigate = useNavigate();
  return (
    <I18nProvider locale={shown} onLocale={onLocale} extra={extra}>
      <RouterProvider navigate={(to) => void navigate(to)} useHref={useHref}>
        <Layout entries={uiEntries}>{loading && !tenant ? <Loading /> : <AppRoutes />}</Layout>
      </RouterProvider>
    </I18nProvider>
  );
}

export function App() {
  const client = useMemo(() => createClient(), []);
  return (
    <UrqlProvider value={client}>
      <BrowserRouter>
        <SessionProvider>
          <Localised />
        </SessionProvider>
      </BrowserRouter>
    </UrqlProvider>
  );
}
