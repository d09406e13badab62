import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canRetry,
  orderInvoiceable,
  readyToSubmit,
  reviseInvoice,
  topupInvoiceable,
} from '../../domain/invoices/invoice-plan';
import { DEFAULT_INVOICE_TAX, rateString, resolveInvoiceTax, splitTax } from '../../domain/invoices/tax';
import { isUscc, taxNumberProblem } from '../../domain/invoices/tax-number';

describe('the tax inside a price (prices include VAT)', () => {
  it('carves 6 % out of ¥106.00 as ¥6.00 on ¥100.00', () => {
    expect(splitTax(10_600, 600)).toEqual({ gross: 10_600, net: 10_000, tax: 600 });
  });

  it('rounds the tax half up to the cent and leaves the rest as net', () => {
    // 3 % of ¥1.03 inclusive is exactly 3 fen; of ¥0.50 it is 1.456… fen → 1.
    expect(splitTax(103, 300)).toEqual({ gross: 103, net: 100, tax: 3 });
    expect(splitTax(50, 300)).toEqual({ gross: 50, net: 49, tax: 1 });
    // 13 % of ¥0.17 inclusive is 1.955… fen → 2.
    expect(splitTax(17, 1300).tax).toBe(2);
  });

  it('taxes nothing at a zero rate and nothing on nothing', () => {
    expect(splitTax(2_800, 0)).toEqual({ gross: 2_800, net: 2_800, tax: 0 });
    expect(splitTax(0, 600)).toEqual({ gross: 0, net: 0, tax: 0 });
  });

  it('always gives net + tax = gross, within half a cent of the exact tax', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.constantFrom(0, 100, 300, 500, 600, 900, 1300),
        (g, bp) => {
          const s = splitTax(g, bp);
          expect(s.net + s.tax).toBe(g);
          expect(Math.abs(s.tax - (g * bp) / (10_000 + bp))).toBeLessThanOrEqual(0.5);
        },
      ),
    );
  });

  it('refuses fractional cents', () => {
    expect(() => splitTax(10.5, 600)).toThrow(RangeError);
  });

  it('writes rates as the platform does', () => {
    expect(rateString(600)).toBe('0.06');
    expect(rateString(1300)).toBe('0.13');
  });
});

describe('a brand’s invoice tax setting', () => {
  it('defaults to 餐饮服务 3070401000000000000 at 6 %', () => {
    expect(resolveInvoiceTax(undefined)).toEqual(DEFAULT_INVOICE_TAX);
    expect(DEFAULT_INVOICE_TAX.taxCode).toBe('3070401000000000000');
  });

  it('keeps a small-scale taxpayer’s 1 % and its own code, and drops what is malformed', () => {
    expect(resolveInvoiceTax({ taxCode: '3070401000000000000', taxRateBp: 100, goodsName: '堂食' })).toEqual({
      taxCode: '3070401000000000000',
      taxRateBp: 100,
      goodsName: '堂食',
    });
    expect(resolveInvoiceTax({ taxCode: '307', taxRateBp: 700, goodsName: '' })).toEqual(DEFAULT_INVOICE_TAX);
  });
});

describe('the buyer’s taxpayer number', () => {
  it('accepts unified social credit codes whose check character is right', () => {
    expect(isUscc('91350100M000100Y43')).toBe(true);
    expect(isUscc('91110108551385082Q')).toBe(true);
    expect(taxNumberProblem('911100007109288314')).toBeNull();
  });

  it('refuses an 18-character code with a wrong check character or a forbidden letter', () => {
    expect(taxNumberProblem('91350100M000100Y44')).toMatch(/check character/);
    expect(taxNumberProblem('91350100M000100I43')).toMatch(/check character/);
  });

  it('accepts older 15- and 20-character registrations, nothing shorter, longer or lower-case', () => {
    expect(taxNumberProblem('110108551385082')).toBeNull();
    expect(taxNumberProblem('11010855138508212345')).toBeNull();
    expect(taxNumberProblem('11010855138508')).toMatch(/15 to 20/);
    expect(taxNumberProblem('110108551385082123456')).toMatch(/15 to 20/);
    expect(taxNumberProblem('91350100m000100y43')).toMatch(/15 to 20/);
  });
});

describe('what is invoiced', () => {
  it('invoices an order’s external money after refunds, not its balance or points part', () => {
    expect(
      orderInvoiceable([
        { method: 'wechat', amount: 3_000, refunded: 500 },
        { method: 'balance', amount: 2_000, refunded: 0 },
        { method: 'points', amount: 300, refunded: 0 },
      ]),
    ).toBe(2_500);
  });

  it('invoices a top-up for what was paid in', () => {
    expect(topupInvoiceable({ method: 'alipay', amount: 50_000, refunded: 0 })).toBe(50_000);
  });
});

describe('how a refund changes an invoice', () => {
  it('leaves an invoice that already says the right amount', () => {
    expect(reviseInvoice({ status: 'issued', amount: 2_500 }, 2_500)).toEqual({ kind: 'keep' });
  });

  it('red-flushes an issued invoice whole after a full refund', () => {
    expect(reviseInvoice({ status: 'issued', amount: 2_500 }, 0)).toEqual({ kind: 'red_flush', reissue: 0 });
  });

  it('red-flushes and re-issues for the remainder after a partial refund', () => {
    expect(reviseInvoice({ status: 'issued', amount: 2_500 }, 1_700)).toEqual({ kind: 'red_flush', reissue: 1_700 });
    expect(reviseInvoice({ status: 'issuing', amount: 2_500 }, 1_700)).toEqual({ kind: 'red_flush', reissue: 1_700 });
  });

  it('amends or withdraws a request the platform has not got', () => {
    expect(reviseInvoice({ status: 'requested', amount: 2_500 }, 1_700)).toEqual({ kind: 'amend', amount: 1_700 });
    expect(reviseInvoice({ status: 'failed', amount: 2_500 }, 0)).toEqual({ kind: 'cancel' });
  });
});

describe('when an invoice may go to the platform', () => {
  it('sends a first request at once', () => {
    expect(readyToSubmit({ kind: 'blue', status: 'requested' })).toBe(true);
    expect(readyToSubmit({ kind: 'blue', status: 'issuing' })).toBe(false);
  });

  it('holds a red invoice until its blue one is issued', () => {
    expect(readyToSubmit({ kind: 'red', status: 'requested', reversedStatus: 'issuing' })).toBe(false);
    expect(readyToSubmit({ kind: 'red', status: 'requested', reversedStatus: 'issued' })).toBe(true);
  });

  it('holds a re-issue until the red flushing its predecessor is issued', () => {
    expect(readyToSubmit({ kind: 'blue', status: 'requested', predecessorRedStatus: 'issuing' })).toBe(false);
    expect(readyToSubmit({ kind: 'blue', status: 'requested', predecessorRedStatus: 'issued' })).toBe(true);
  });

  it('retries only what failed', () => {
    expect(canRetry('failed')).toBe(true);
    expect(canRetry('issued')).toBe(false);
  });
});
