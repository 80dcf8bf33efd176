import fc from 'fast-check';

import { isMainlandMobile, maskCertificate, maskPhone, maskPhonesInText } from './mask';

const digits = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: length, maxLength: length });
const mainlandMobile = fc.tuple(fc.constantFrom(...'3456789'), digits(9)).map(([second, rest]) => `1${second}${rest}`);

describe('isMainlandMobile', () => {
  it.each(['13812345678', '19912345678', '16600001111'])('is true for %s', (phone) => {
    expect(isMainlandMobile(phone)).toBe(true);
  });

  it.each([
    '12812345678', // no such second digit
    '1381234567', // 10 digits
    '138123456789', // 12 digits
    '23812345678',
    '138-1234-5678',
    '+8613812345678',
    ' 13812345678',
    '1381234567８', // full-width digit
    '',
  ])('is false for %j', (phone) => {
    expect(isMainlandMobile(phone)).toBe(false);
  });
});

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 digits of a mainland mobile', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('keeps the first 3 and last 4 digits of any mainland mobile, and its length', () => {
    fc.assert(
      fc.property(mainlandMobile, (phone) => {
        expect(maskPhone(phone)).toBe(`${phone.slice(0, 3)}****${phone.slice(7)}`);
      }),
    );
  });

  it.each([
    ['010-87654321', '**********21'],
    ['+8613812345678', '************78'],
    ['12345', '***45'],
    ['abc', '*bc'],
  ])('keeps only the last 2 characters of %j, which is not a mainland mobile', (value, expected) => {
    expect(maskPhone(value)).toBe(expected);
  });

  it.each([
    ['12', '*2'],
    ['1', '*'],
    ['', ''],
  ])('never gives back %j whole', (value, expected) => {
    expect(maskPhone(value)).toBe(expected);
  });
});

describe('maskCertificate', () => {
  it('keeps the first 4 and last 2 characters of a teacher qualification certificate number', () => {
    expect(maskCertificate('20214400012345678')).toBe('2021***********78');
  });

  it('keeps the first 4 and last 2 characters of a 7-character value', () => {
    expect(maskCertificate('ABCDEFG')).toBe('ABCD*FG');
  });

  it.each([
    ['ABCDEF', '*****F'],
    ['AB', '*B'],
    ['A', '*'],
    ['', ''],
  ])('keeps only the last character of %j, too short to star anything between', (value, expected) => {
    expect(maskCertificate(value)).toBe(expected);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(maskCertificate('湘教证𠀀2021001')).toBe('湘教证𠀀*****01');
  });
});

describe('maskPhonesInText', () => {
  it('masks a mainland mobile inside Chinese text', () => {
    expect(maskPhonesInText('家长电话13812345678，请回电')).toBe('家长电话138****5678，请回电');
  });

  it('masks every mainland mobile in the text', () => {
    expect(maskPhonesInText('13812345678 / 19900001111; 15012345678')).toBe('138****5678 / 199****1111; 150****5678');
  });

  it('masks a mainland mobile written after the +86 country code', () => {
    expect(maskPhonesInText('tel: +8613812345678')).toBe('tel: +86138****5678');
  });

  it.each([
    '身份证430104199003071234', // an ID card number holds 19900307123
    '订单 213812345678', // 12 digits
    '13812345678901',
    '12812345678', // no such second digit
    '138 1234 5678',
  ])('leaves %j alone, which holds no mainland mobile on its own', (text) => {
    expect(maskPhonesInText(text)).toBe(text);
  });

  it('leaves no mainland mobile readable, whatever surrounds it', () => {
    fc.assert(
      fc.property(fc.string(), mainlandMobile, fc.string(), (before, phone, after) => {
        const text = `${before} ${phone} ${after}`;
        expect(maskPhonesInText(text)).not.toContain(phone);
        expect(maskPhonesInText(text)).toHaveLength(text.length);
      }),
    );
  });
});
