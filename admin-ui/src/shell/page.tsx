// Every page: one h1, a document title that follows the route, and the focus
// moved to the heading after a navigation so screen readers hear the new page.
import { useEffect, useRef, type ReactNode } from 'react';
import { useSession } from './session.js';
import { useI18n } from './i18n.js';

let firstPage = true;

export function Page(p: { title: string; children: ReactNode; intro?: ReactNode }) {
  const { tenant } = useSession();
  const { t } = useI18n();
  const h1 = useRef<HTMLHeadingElement>(null);
  const commune = tenant?.branding.displayName ?? tenant?.name ?? t('app.name');
  useEffect(() => {
    document.title = `${p.title} – ${commune} – ${t('app.name')}`;
  }, [p.title, commune, t]);
  useEffect(() => {
    if (firstPage) {
      firstPage = false;
      return;
    }
    h1.current?.focus();
  }, []);
  return (
    <>
      <h1 tabIndex={-1} ref={h1}>
        {p.title}
      </h1>
      {p.intro}
      {p.children}
    </>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="meta">
      {t('common.loading')}
    </p>
  );
}
