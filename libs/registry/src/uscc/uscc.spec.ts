import fc from 'fast-check';

import { isValidUscc, USCC_CHARSET, usccCheckCharacter, UsccRejectionReason, validateUscc } from './uscc';

// Check characters worked out independently from the formula of GB 32100-2015, not with the code under test.
const VALID_CODES = [
  '91350100M000100Y43', // the example most often cited for the standard
  '52430104MJ12345676', // non-profit (52) in Yuelu district, Changsha
  '52430104MJ00002600', // sum ≡ 0 (mod 31): 31 − 0 = 31 is written '0'
  '91430104MA4L000QXU', // check character is a letter
  '12100000400000624D', // public institution (12), national level
  '51100000500000447P', // social organisation (51)
];

const DIGITS = '0123456789';
// Characters a person might type that the standard leaves out, in lower case, or not letters at all.
const OUTSIDE_CHARSET = ['I', 'O', 'S', 'V', 'Z', 'a', 'y', 'm', ' ', '-', '*', '０', 'Ｙ', '\n'];

const charsetChar = fc.constantFrom(...USCC_CHARSET);
const digit = fc.constantFrom(...DIGITS);
const validPrefix = fc
  .tuple(
    fc.string({ unit: charsetChar, minLength: 2, maxLength: 2 }),
    fc.string({ unit: digit, minLength: 6, maxLength: 6 }),
    fc.string({ unit: charsetChar, minLength: 9, maxLength: 9 }),
  )
  .map((segments) => segments.join(''));
const validCode = validPrefix.map((prefix) => prefix + usccCheckCharacter(prefix));

const isDivisionPosition = (index: number) => index >= 2 && index < 8;

function replaceAt(code: string, index: number, replacement: string): string {
  return code.slice(0, index) + replacement + code.slice(index + 1);
}

function expectedReasonForChange(index: number, replacement: string): UsccRejectionReason {
  if (!USCC_CHARSET.includes(replacement)) return 'charset';
  if (isDivisionPosition(index) && !DIGITS.includes(replacement)) return 'division';
  return 'check';
}

function expectEverySingleCharacterChangeRefused(code: string): void {
  const misjudged: string[] = [];
  for (let index = 0; index < code.length; index++) {
    for (const replacement of [...USCC_CHARSET, ...OUTSIDE_CHARSET]) {
      if (replacement === code[index]) continue;
      const changed = replaceAt(code, index, replacement);
      const validation = validateUscc(changed);
      const expectedReason = expectedReasonForChange(index, replacement);
      if (validation.ok || validation.reason !== expectedReason) {
        misjudged.push(`${changed} (expected ${expectedReason})`);
      }
    }
  }
  expect(misjudged).toEqual([]);
}

describe('USCC_CHARSET', () => {
  it('holds the 31 characters of the standard without I, O, S, V and Z', () => {
    expect(USCC_CHARSET).toHaveLength(31);
    expect(new Set(USCC_CHARSET).size).toBe(31);
    expect(USCC_CHARSET).not.toMatch(/[IOSVZ]/);
  });
});

describe('usccCheckCharacter', () => {
  it.each(VALID_CODES)('gives the 18th character of %s', (code) => {
    expect(usccCheckCharacter(code.slice(0, 17))).toBe(code[17]);
  });

  it('writes a result of 31 as 0', () => {
    expect(usccCheckCharacter('52430104MJ0000260')).toBe('0');
  });

  it.each(['', '91350100M000100Y', '91350100M000100Y43'])('throws a RangeError for %j, which is not 17 long', (prefix) => {
    expect(() => usccCheckCharacter(prefix)).toThrow(RangeError);
  });

  it.each(['91350100M000100YI', '91350100m000100Y4', '91350100M000 00Y4'])(
    'throws a RangeError for %j, which has a character outside the charset',
    (prefix) => {
      expect(() => usccCheckCharacter(prefix)).toThrow(RangeError);
    },
  );
});

describe('validateUscc', () => {
  it.each(VALID_CODES)('accepts %s', (code) => {
    expect(validateUscc(code)).toEqual({ ok: true });
  });

  it.each([
    ['91350100M000100Y42', 'check'],
    ['52430104MJ12345670', 'check'],
    ['91530100M000100Y43', 'check'], // two neighbours swapped
    ['91350100m000100Y43', 'charset'], // the standard is upper-case only
    ['91350100M000100y43', 'charset'],
    ['91350100M000100O43', 'charset'],
    ['9135010OM000100Y43', 'charset'],
    ['9135A100M000100Y43', 'division'],
    ['91350100M000100Y4', 'length'],
    ['91350100M000100Y430', 'length'],
    ['', 'length'],
  ] as const)('refuses %j for its %s', (code, reason) => {
    expect(validateUscc(code)).toEqual({ ok: false, reason });
  });

  it('accepts any prefix from the charset with a six-digit division followed by its check character', () => {
    fc.assert(
      fc.property(validCode, (code) => {
        expect(validateUscc(code)).toEqual({ ok: true });
      }),
    );
  });

  it.each(VALID_CODES)('refuses every single-character change of %s', (code) => {
    expectEverySingleCharacterChangeRefused(code);
  });

  it('refuses every single-character change of any valid code', () => {
    fc.assert(fc.property(validCode, expectEverySingleCharacterChangeRefused));
  });

  it('refuses any string of charset characters that is not 18 long, for its length', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: charsetChar, maxLength: 40 }).filter((code) => code.length !== 18),
        (code) => {
          expect(validateUscc(code)).toEqual({ ok: false, reason: 'length' });
        },
      ),
    );
  });

  it('refuses a valid code with a character added or removed, for its length', () => {
    fc.assert(
      fc.property(validCode, fc.nat(17), charsetChar, (code, index, extra) => {
        expect(validateUscc(code.slice(0, index) + extra + code.slice(index))).toEqual({ ok: false, reason: 'length' });
        expect(validateUscc(code.slice(0, index) + code.slice(index + 1))).toEqual({ ok: false, reason: 'length' });
      }),
    );
  });
});

describe('isValidUscc', () => {
  it('is true for a valid code', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true);
  });

  it('is false for a code with a wrong check character', () => {
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
  });
});
