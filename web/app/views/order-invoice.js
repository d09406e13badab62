// The e-invoice (电子发票) of a completed order: the guest asks for one (personal or company
// title, taxpayer number, e-mail) and then sees it move until its PDF link is there. One
// invoice per order; asking again answers the same one.
import { html, useEffect, useState } from '/lib/ui.js';
import { api, errorCode, guestSession } from '../api.js';
import { addStrings, money, t } from '../i18n.js';
import { sheet } from '../sheets.js';

await sheet('/app/views/invoice.css');

addStrings({
  zh: {
    iv_title: '电子发票',
    iv_ask: '开发票',
    iv_personal: '个人',
    iv_company: '单位',
    iv_name: '抬头',
    iv_namePersonal: '姓名或“个人”',
    iv_nameCompany: '单位全称',
    iv_taxNumber: '税号',
    iv_email: '接收邮箱',
    iv_submit: '提交',
    iv_st_requested: '已提交，正在开具',
    iv_st_issuing: '正在开具',
    iv_st_issued: '已开具',
    iv_st_failed: '开具遇到问题，门店会重新处理',
    iv_st_reversed: '已红冲（订单已退款）',
    iv_st_cancelled: '已取消（订单已退款）',
    iv_pdf: '查看发票 PDF',
    iv_sentTo: '也会发送到 {email}',
    iv_notConfigured: '本店暂未开通电子发票，请联系门店',
    iv_failed: '提交失败，请重试',
    iv_nothing: '这一单没有需要开票的金额',
  },
  en: {
    iv_title: 'E-invoice',
    iv_ask: 'Request an invoice',
    iv_personal: 'Personal',
    iv_company: 'Company',
    iv_name: 'Title',
    iv_namePersonal: 'Your name',
    iv_nameCompany: 'Company name',
    iv_taxNumber: 'Taxpayer number',
    iv_email: 'E-mail',
    iv_submit: 'Send',
    iv_st_requested: 'Requested; being issued',
    iv_st_issuing: 'Being issued',
    iv_st_issued: 'Issued',
    iv_st_failed: 'A problem issuing it; the store will retry',
    iv_st_reversed: 'Reversed (the order was refunded)',
    iv_st_cancelled: 'Cancelled (the order was refunded)',
    iv_pdf: 'Open the invoice PDF',
    iv_sentTo: 'Also sent to {email}',
    iv_notConfigured: 'This store does not issue e-invoices yet; please ask the staff',
    iv_failed: 'Could not send it, try again',
    iv_nothing: 'Nothing on this order to invoice',
  },
});

const MESSAGES = {
  'invoice.not_configured': 'iv_notConfigured',
  'invoice.nothing_to_invoice': 'iv_nothing',
};

/** The order's own invoice (the blue one; a red-flush shows as its `reversed` status). */
function useOrderInvoice(orderId) {
  const [invoice, setInvoice] = useState(undefined);
  useEffect(() => {
    let live = true;
    api.invoices
      .mine({})
      .then((r) => live && setInvoice(r.items.find((i) => i.kind === 'blue' && i.sourceId === orderId) ?? null))
      .catch(() => live && setInvoice(null));
    return () => {
      live = false;
    };
  }, [orderId]);
  return [invoice, setInvoice];
}

function InvoiceStatus({ invoice }) {
  return html`<section class="card iv" data-testid="invoice-status" role="status">
    <h2>${t('iv_title')}</h2>
    <p><strong data-status=${invoice.status}>${t(`iv_st_${invoice.status}`)}</strong> · ${money(invoice.amount)}</p>
    <p class="muted">${invoice.buyer.title}${invoice.buyer.taxNumber ? ` · ${invoice.buyer.taxNumber}` : ''}</p>
    ${
      invoice.pdfUrl
        ? html`<p><a class="btn secondary" href=${invoice.pdfUrl} target="_blank" rel="noopener" data-testid="invoice-pdf">${t('iv_pdf')}</a></p>`
        : html`<p class="muted">${t('iv_sentTo', { email: invoice.buyer.email })}</p>`
    }
  </section>`;
}

/** Shown under a completed order of a signed-in guest. */
export function InvoicePanel({ order }) {
  const [invoice, setInvoice] = useOrderInvoice(order.id);
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ type: 'personal', title: '', taxNumber: '', email: '' });
  const [state, setState] = useState({ busy: false, error: null, fields: {} });
  if (!guestSession() || invoice === undefined) return '';
  if (invoice) return html`<${InvoiceStatus} invoice=${invoice} />`;
  if (!open)
    return html`<div class="order-actions"><button class="btn secondary" data-testid="invoice-open" onClick=${() => setOpen(true)}>${t('iv_ask')}</button></div>`;

  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const company = form.type === 'company';
  const submit = async (e) => {
    e.preventDefault();
    setState({ busy: true, error: null, fields: {} });
    try {
      const body = {
        orderId: order.id,
        type: form.type,
        title: form.title.trim(),
        email: form.email.trim(),
        ...(company ? { taxNumber: form.taxNumber.trim() } : {}),
      };
      setInvoice(await api.invoices.request({ body }));
    } catch (err) {
      const code = errorCode(err);
      // A field the server refused is named next to its input; anything else above the button.
      const fields = Object.fromEntries((err.errors ?? []).map((x) => [x.path, x.message]));
      const named = Object.keys(fields).some((k) => k in form);
      setState({
        busy: false,
        error: named ? null : t(MESSAGES[code] ?? 'iv_failed'),
        fields,
      });
    }
  };
  const field = (key, label, input) => html`<label class="iv-field">
    <span>${label}</span>${input}
    ${state.fields[key] ? html`<small class="error" data-testid=${`invoice-error-${key}`}>${state.fields[key]}</small>` : ''}
  </label>`;
  return html`<form class="card iv" data-testid="invoice-form" onSubmit=${submit} novalidate>
    <h2>${t('iv_title')}</h2>
    <div class="iv-types" role="radiogroup">
      ${['personal', 'company'].map(
        (type) =>
          html`<label><input type="radio" name="iv-type" value=${type} checked=${form.type === type}
            onChange=${() => setForm({ ...form, type })} /> ${t(`iv_${type}`)}</label>`,
      )}
    </div>
    ${field('title', t('iv_name'), html`<input data-testid="invoice-title" maxlength="100" required value=${form.title} placeholder=${t(company ? 'iv_nameCompany' : 'iv_namePersonal')} onInput=${set('title')} />`)}
    ${company ? field('taxNumber', t('iv_taxNumber'), html`<input data-testid="invoice-tax-number" maxlength="20" autocapitalize="characters" value=${form.taxNumber} onInput=${set('taxNumber')} />`) : ''}
    ${field('email', t('iv_email'), html`<input data-testid="invoice-email" type="email" maxlength="254" required value=${form.email} onInput=${set('email')} />`)}
    ${state.error ? html`<p class="error" role="alert" data-testid="invoice-error">${state.error}</p>` : ''}
    <button class="btn" type="submit" data-testid="invoice-submit" disabled=${state.busy || !form.title.trim() || !form.email.trim()}>${t('iv_submit')}</button>
  </form>`;
}
