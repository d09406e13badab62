/*
 * The tax arithmetic of an e-invoice (电子发票). Prices in China include VAT, so an
 * invoice's tax is carved out of what the guest paid, never added on top. Rates are basis
 * points (600 = 6 %) so every figure stays an integer.
 */

/** What a brand invoices its meals as: the 19-digit tax classification code, the rate, the line's name. */
export interface InvoiceTaxSetting {
  /** 税收分类编码: 19 digits. */
  taxCode: string;
  /** Basis points: 600 = 6 % (a general taxpayer's catering), 100 or 300 for a small-scale one. */
  taxRateBp: number;
  /** The goods name printed on the line (shown as `*餐饮服务*餐费`). */
  goodsName: string;
}

/** 3070401000000000000 餐饮服务 at 6 %: a general taxpayer's catering, the common case. */
export const DEFAULT_INVOICE_TAX: InvoiceTaxSetting = {
  taxCode: '3070401000000000000',
  taxRateBp: 600,
  goodsName: '餐费',
};

/** The VAT rates an invoice line may carry, in basis points (0, 1 %, 3 %, 5 %, 6 %, 9 %, 13 %). */
export const TAX_RATES_BP = [0, 100, 300, 500, 600, 900, 1300] as const;

export const TAX_CODE = /^\d{19}$/;

/** A brand's stored setting over the defaults; anything malformed falls back to the default. */
export function resolveInvoiceTax(stored: unknown): InvoiceTaxSetting {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Partial<InvoiceTaxSetting>;
  return {
    taxCode: typeof s.taxCode === 'string' && TAX_CODE.test(s.taxCode) ? s.taxCode : DEFAULT_INVOICE_TAX.taxCode,
    taxRateBp: (TAX_RATES_BP as readonly number[]).includes(s.taxRateBp as number)
      ? (s.taxRateBp as number)
      : DEFAULT_INVOICE_TAX.taxRateBp,
    goodsName:
      typeof s.goodsName === 'string' && s.goodsName.trim() ? s.goodsName.trim() : DEFAULT_INVOICE_TAX.goodsName,
  };
}

export interface TaxSplit {
  /** What was paid, tax included (价税合计). */
  gross: number;
  /** 不含税金额. */
  net: number;
  /** 税额: gross × rate / (1 + rate), rounded half up to the cent. */
  tax: number;
}

/**
 * Splits a tax-inclusive amount into net and tax, in integer cents: the tax is rounded half
 * up, the net is what remains, so net + tax is always exactly the gross.
 */
export function splitTax(gross: number, rateBp: number): TaxSplit {
  if (!Number.isInteger(gross) || gross < 0) throw new RangeError(`gross must be whole cents ≥ 0, got ${gross}`);
  if (!Number.isInteger(rateBp) || rateBp < 0) throw new RangeError(`rate must be whole basis points, got ${rateBp}`);
  const base = 10_000 + rateBp;
  const tax = Math.floor((2 * gross * rateBp + base) / (2 * base));
  return { gross, net: gross - tax, tax };
}

/** Basis points as the provider's decimal rate: 600 → "0.06", 1300 → "0.13". */
export function rateString(rateBp: number): string {
  return String(rateBp / 10_000);
}
