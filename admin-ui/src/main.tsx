import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './ds/styles.css';
import { App } from './shell/app.js';
import { initialLocale, loadCatalogues } from './shell/i18n.js';
import { uiEntries } from './shell/registry.js';

// A browser that chose English gets its catalogues before the first paint (French needs nothing).
void loadCatalogues(
  initialLocale(),
  uiEntries.map((e) => e.messages),
).then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);

// The service worker caches the shell so the app opens offline and receives web push.
if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    void navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
