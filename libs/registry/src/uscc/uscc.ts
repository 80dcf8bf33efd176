// Unified social credit code (统一社会信用代码), GB 32100-2015.
// Layout: 1 registration authority, 2 entity type, 3-8 administrative division (GB/T 2260),
// 9-17 organisation code, 18 check character.

/** The 31 characters of GB 32100-2015, in value order; I, O, Z, S and V are left out as easy to misread. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export type UsccRejectionReason = 'length' | 'charset' | 'division' | 'check';

export type UsccValidation = { ok: true } | { ok: false; reason: UsccRejectionReason };

const USCC_LENGTH = 18;
const MODULUS = USCC_CHARSET.length;
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
// The standard is upper-case only: a lower-case letter is refused rather than folded, so what is
// stored is exactly what is printed on the business licence.
const CHARSET_PATTERN = new RegExp(`^[${USCC_CHARSET}]*$`);
const DIVISION_PATTERN = /^\d{6}$/;

/** The 18th character for the first 17; throws a RangeError when they are not 17 charset characters. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== USCC_LENGTH - 1) {
    throw new RangeError(`A USCC check character needs 17 characters, got ${first17.length}`);
  }
  if (!CHARSET_PATTERN.test(first17)) {
    throw new RangeError(`"${first17}" has characters outside the USCC charset`);
  }
  const weightedSum = [...first17].reduce((sum, char, i) => sum + USCC_CHARSET.indexOf(char) * WEIGHTS[i], 0);
  // The standard writes 31 − (sum mod 31) and maps 31 to '0'; taking mod 31 once more does both.
  return USCC_CHARSET[(MODULUS - (weightedSum % MODULUS)) % MODULUS];
}

export function validateUscc(code: string): UsccValidation {
  if (code.length !== USCC_LENGTH) return { ok: false, reason: 'length' };
  if (!CHARSET_PATTERN.test(code)) return { ok: false, reason: 'charset' };
  if (!DIVISION_PATTERN.test(code.slice(2, 8))) return { ok: false, reason: 'division' };
  if (usccCheckCharacter(code.slice(0, USCC_LENGTH - 1)) !== code[USCC_LENGTH - 1]) {
    return { ok: false, reason: 'check' };
  }
  return { ok: true };
}

export function isValidUscc(code: string): boolean {
  return validateUscc(code).ok;
}
