/*
 * The buyer's taxpayer number (纳税人识别号). Since 2015 it is the 18-character unified
 * social credit code (统一社会信用代码, GB 32100-2015) with a check character; older
 * registrations still carry 15 to 20 letters and digits.
 */

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_SHAPE = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

/** Whether `code` is a unified social credit code whose check character (the 18th) is right. */
export function isUscc(code: string): boolean {
  if (!USCC_SHAPE.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(code[i]!) * USCC_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[check] === code[17];
}

/**
 * Why a taxpayer number is refused, or null when it is acceptable: 18 characters must be a
 * valid unified social credit code; other lengths must be 15 to 20 capital letters and digits.
 */
export function taxNumberProblem(raw: string): string | null {
  const code = raw.trim();
  if (!/^[0-9A-Z]{15,20}$/.test(code)) return 'must be 15 to 20 capital letters and digits';
  if (code.length === 18 && !isUscc(code)) return 'is not a valid unified social credit code (check character)';
  return null;
}
