import { yuanText } from './yuan';

describe('yuanText', () => {
  it.each([
    [0, '¥0.00'],
    [5, '¥0.05'],
    [80_000, '¥800.00'],
    [123_456_789, '¥1,234,567.89'],
    [-1_050, '-¥10.50'],
  ])('writes %i fen as %s', (fen, text) => {
    expect(yuanText(fen)).toBe(text);
  });
});
