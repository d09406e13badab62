// Sign-in (`/sign-in?next=…`): inside WeChat's browser through WeChat web authorization
// (there and back, finishing on `?code=&state=`), elsewhere with a code texted to a phone,
// and under DEV_AUTH=1 a "demo guest" button. Only the ways the server offers are shown.
import { html, useEffect, useState } from '/lib/ui.js';
import { randomToken, safeNext } from '../account.js';
import { api, errorCode, isTiffinError, setGuestSession } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { navigate } from '../router.js';
import './account-styles.js';

const WX_KEY = 'tiffin.wxSignIn';
const DEMO_KEY = 'tiffin.demoGuest';
const RESEND_SECONDS = 60;
const inWechat = () => /MicroMessenger/i.test(navigator.userAgent);

function finish(session, next) {
  setGuestSession({ token: session.token, member: session.member });
  navigate(safeNext(next), { replace: true });
}

function message(e) {
  const code = errorCode(e);
  if (code === 'phone.code_invalid') return t('in.codeWrong', { n: e.problem?.attemptsLeft ?? 0 });
  const known = {
    'phone.code_expired': 'in.codeExpired',
    'phone.code_locked': 'in.codeLocked',
    'rate.limited': 'in.slowDown',
    'validation.failed': 'in.phoneBad',
    'sms.not_configured': 'in.smsOff',
    'auth.state_invalid': 'in.wxAgain',
    'auth.state_expired': 'in.wxAgain',
    'auth.wechat_code_invalid': 'in.wxAgain',
    'auth.wechat_snapshot_user': 'in.wxSnapshot',
  }[code];
  return known ? t(known) : isTiffinError(e) && e.status ? e.detail : t('offline');
}

/** Sends the browser to WeChat's authorize screen with a state bound to this tab's nonce. */
async function startWechat(next) {
  const nonce = randomToken(16);
  sessionStorage.setItem(WX_KEY, JSON.stringify({ nonce, next: safeNext(next) }));
  const { url } = await api.auth.wechatWebAuthorize({ nonce });
  location.assign(url);
}

function PhoneForm({ next }) {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [left, setLeft] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (left <= 0) return;
    const timer = setTimeout(() => setLeft(left - 1), 1000);
    return () => clearTimeout(timer);
  }, [left]);
  const send = async () => {
    setError(null);
    setBusy(true);
    try {
      await api.auth.phoneCode({ body: { phone } });
      setLeft(RESEND_SECONDS);
    } catch (e) {
      setError(message(e));
      if (isTiffinError(e) && e.retryAfter) setLeft(e.retryAfter);
    } finally {
      setBusy(false);
    }
  };
  const submit = async (event) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      finish(await api.auth.phone({ body: { phone, code } }), next);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <form class="card signin-phone" onSubmit=${submit}>
      <label class="field">
        <span>${t('in.phone')}</span>
        <input type="tel" inputmode="numeric" autocomplete="tel" maxlength="20" placeholder="138 0000 0000"
          value=${phone} onInput=${(e) => setPhone(e.currentTarget.value)} data-testid="phone" />
      </label>
      <div class="field field-row">
        <label>
          <span>${t('in.code')}</span>
          <input inputmode="numeric" autocomplete="one-time-code" maxlength="6" value=${code}
            onInput=${(e) => setCode(e.currentTarget.value.trim())} data-testid="phone-code" />
        </label>
        <button type="button" class="btn secondary" disabled=${busy || left > 0 || phone.length < 11} onClick=${send}
          data-testid="send-code">
          ${left > 0 ? t('in.resendIn', { s: left }) : t('in.send')}
        </button>
      </div>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      <button class="btn wide" disabled=${busy || code.length < 6} data-testid="phone-sign-in">${t('signIn')}</button>
    </form>
  `;
}

function DemoGuest({ next }) {
  const [error, setError] = useState(null);
  const go = async () => {
    setError(null);
    // One demo guest per browser, the same after signing out and in again.
    let subject = localStorage.getItem(DEMO_KEY);
    if (!subject) {
      subject = `mem_demo_${randomToken(6)}`;
      localStorage.setItem(DEMO_KEY, subject);
    }
    try {
      const res = await api.auth.dev({ body: { role: 'member', subject, register: true } });
      finish({ token: res.token, member: res.member }, next);
    } catch (e) {
      setError(message(e));
    }
  };
  return html`
    <div class="card signin-demo">
      <button class="btn secondary wide" onClick=${go} data-testid="dev-login">${t('in.demo')}</button>
      <p class="muted">${t('in.demoNote')}</p>
      ${error && html`<p class="error" role="alert">${error}</p>`}
    </div>
  `;
}

export default function SignIn({ query }) {
  const next = safeNext(query.get('next'));
  const returning = query.get('code') && query.get('state');
  const [methods, setMethods] = useState(null);
  const [error, setError] = useState(null);
  const [wechatBusy, setWechatBusy] = useState(Boolean(returning));

  useEffect(() => {
    api.auth.methods().then(setMethods, (e) => setError(message(e)));
  }, []);

  // Back from WeChat: finish with the code, if this tab started the sign-in.
  useEffect(() => {
    if (!returning) return;
    const started = JSON.parse(sessionStorage.getItem(WX_KEY) ?? 'null');
    sessionStorage.removeItem(WX_KEY);
    if (!started) {
      setError(t('in.wxAgain'));
      setWechatBusy(false);
      return;
    }
    const body = { code: query.get('code'), state: query.get('state'), nonce: started.nonce };
    api.auth.wechatWeb({ body }).then(
      (session) => finish(session, started.next),
      (e) => {
        setError(message(e));
        setWechatBusy(false);
      },
    );
  }, [returning]);

  // Inside WeChat, go straight to WeChat's screen: it asks nothing of the guest.
  useEffect(() => {
    if (returning || !methods?.wechatWeb || !inWechat()) return;
    setWechatBusy(true);
    startWechat(next).catch((e) => {
      setError(message(e));
      setWechatBusy(false);
    });
  }, [methods]);

  if (wechatBusy) return html`<p class="boot" role="status">${t('in.wxBusy')}</p>`;
  const wechatHere = methods?.wechatWeb && inWechat();
  return html`
    <section class="signin">
      <h1 class="signin-title">${t('signIn')}</h1>
      ${error && html`<p class="error" role="alert">${error}</p>`}
      ${!methods && !error && html`<p class="boot" role="status">${t('loading')}</p>`}
      ${wechatHere && html`<button class="btn wide" onClick=${() => startWechat(next)}>${t('in.wechat')}</button>`}
      ${methods?.phone && !wechatHere && html`<${PhoneForm} next=${next} />`}
      ${methods?.dev && html`<${DemoGuest} next=${next} />`}
      ${methods && !methods.phone && !methods.dev && !wechatHere && html`<p class="empty">${t('in.none')}</p>`}
    </section>
  `;
}

addStrings({
  zh: {
    'in.phone': '手机号',
    'in.code': '验证码',
    'in.send': '获取验证码',
    'in.resendIn': '{s} 秒后重发',
    'in.codeWrong': '验证码不对，还可以试 {n} 次',
    'in.codeExpired': '验证码已过期，请重新获取',
    'in.codeLocked': '错误次数太多，请重新获取验证码',
    'in.slowDown': '操作太频繁，请稍后再试',
    'in.phoneBad': '请输入正确的手机号',
    'in.smsOff': '短信登录暂不可用',
    'in.wechat': '微信一键登录',
    'in.wxBusy': '正在通过微信登录…',
    'in.wxAgain': '登录没有完成，请重新登录',
    'in.wxSnapshot': '请点击“使用完整服务”后再登录',
    'in.demo': '体验账号登录（演示）',
    'in.demoNote': '仅本地演示环境可用',
    'in.none': '暂时无法登录',
  },
  en: {
    'in.phone': 'Mobile number',
    'in.code': 'Code',
    'in.send': 'Send code',
    'in.resendIn': 'Resend in {s}s',
    'in.codeWrong': 'Wrong code; {n} tries left',
    'in.codeExpired': 'The code expired; ask for a new one',
    'in.codeLocked': 'Too many wrong codes; ask for a new one',
    'in.slowDown': 'Too many tries; wait a minute',
    'in.phoneBad': 'Enter a valid mainland mobile number',
    'in.smsOff': 'Phone sign-in is unavailable',
    'in.wechat': 'Sign in with WeChat',
    'in.wxBusy': 'Signing in with WeChat…',
    'in.wxAgain': 'Sign-in did not finish; please try again',
    'in.wxSnapshot': 'Open the full page first, then sign in',
    'in.demo': 'Demo guest',
    'in.demoNote': 'Local demo only',
    'in.none': 'Sign-in is unavailable right now',
  },
});
