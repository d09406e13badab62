// The frame around every page: a header (back, the app's name, language, "me") and the
// page the address names. A page's module loads on first visit and is kept.
import { html, useEffect, useState } from '/lib/ui.js';
import { setLang, t, useLang } from './i18n.js';
import { match, navigate, onLink, useLocation } from './router.js';
import { routes } from './routes.js';

const loaded = new Map();

function resolve(path) {
  for (const r of routes) {
    const params = match(r.path, path);
    if (params) return { route: r, params };
  }
  return null;
}

function Page({ loc }) {
  const found = resolve(loc.path);
  const [, setTick] = useState(0);
  const [failed, setFailed] = useState(null);
  const route = found?.route;
  useEffect(() => {
    if (!route || loaded.has(route)) return;
    setFailed(null);
    route
      .load()
      .then((m) => {
        loaded.set(route, m.default);
        setTick((n) => n + 1);
      })
      .catch((e) => setFailed(e));
  }, [route]);
  if (!found) return html`<p class="empty">${t('notFound')}</p>`;
  if (failed)
    return html`<p class="error" role="alert">${t('offline')} <button class="link" onClick=${() => location.reload()}>${t('retry')}</button></p>`;
  const View = loaded.get(route);
  if (!View) return html`<p class="boot" role="status">${t('loading')}</p>`;
  return html`<${View} params=${found.params} query=${loc.query} />`;
}

export function App() {
  return html`<${Shell} />`;
}

function Shell() {
  const loc = useLocation();
  const lang = useLang();
  const home = loc.path === '/';
  return html`
    <div class="app" onClick=${onLink}>
      <header class="top">
        ${home ? html`<span class="top-spacer"></span>` : html`<button class="top-back" aria-label=${t('back')} onClick=${() => (history.length > 1 ? history.back() : navigate('/'))}>‹</button>`}
        <a class="top-title" href="/">${t('appName')}</a>
        <button class="top-lang" onClick=${() => setLang(lang === 'zh' ? 'en' : 'zh')}>${t('language')}</button>
        <a class="top-me" href="/me">${t('me')}</a>
      </header>
      <main class="page"><${Page} loc=${loc} /></main>
    </div>
  `;
}
