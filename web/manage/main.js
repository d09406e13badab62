// The manager's console at /manage/: sign in, then the dashboard. The header carries who is
// signed in, the language switch and "sign out".
import { html, render, useEffect, useState } from '/lib/ui.js';
import { problemText } from './api.js';
import { Dashboard } from './dashboard.js';
import { setLang, t, useLang } from './i18n.js';
import { account as currentAccount, onAccount, restore, signIn, signOut } from './session.js';

function SignIn() {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await signIn(String(form.get('login')), String(form.get('password')));
    } catch (err) {
      setError(problemText(err));
      setBusy(false);
    }
  };
  return html`<form class="panel sign-in" onSubmit=${submit} data-testid="sign-in">
    <h2>${t('signInTitle')}</h2>
    <label for="login">${t('login')}</label>
    <input id="login" name="login" autocomplete="username" required spellcheck="false" autocapitalize="off" />
    <label for="password">${t('password')}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required />
    <button class="btn primary" type="submit" disabled=${busy}>${busy ? t('signingIn') : t('signIn')}</button>
    ${error ? html`<p class="problem" role="alert" data-testid="sign-in-error">${error}</p>` : null}
  </form>`;
}

function App() {
  const lang = useLang();
  const [ready, setReady] = useState(false);
  const [account, setAccount] = useState(currentAccount());
  useEffect(() => {
    const off = onAccount(setAccount);
    restore().finally(() => setReady(true));
    return off;
  }, []);
  return html`<div class="console">
    <header class="top">
      <h1>${t('title')}</h1>
      ${account ? html`<span class="who" data-testid="who">${account.name}</span>` : null}
      <button type="button" class="top-btn" onClick=${() => setLang(lang === 'zh' ? 'en' : 'zh')}>${t('language')}</button>
      ${account ? html`<button type="button" class="top-btn" onClick=${signOut} data-testid="sign-out">${t('signOut')}</button>` : null}
    </header>
    <main class="page" key=${lang}>
      ${!ready ? html`<p class="muted" role="status">${t('loading')}</p>` : account ? html`<${Dashboard} account=${account} />` : html`<${SignIn} />`}
    </main>
  </div>`;
}

const root = document.getElementById('console');
root.textContent = '';
render(html`<${App} />`, root);
