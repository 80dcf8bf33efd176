// Masking for what the public, logs and other parties may see of phone numbers and certificate numbers.
// Every function keeps the length, so a masked value still looks like what it stands for, and none
// ever gives back a non-empty value whole.

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;
// Not inside a longer run of digits (an ID card or order number is left alone), except right after
// the +86 country code, where the digits before belong to the prefix and not to the number.
const MAINLAND_MOBILE_IN_TEXT = /(?:(?<=\+86)|(?<!\d))1[3-9]\d{9}(?!\d)/g;

export function isMainlandMobile(value: string): boolean {
  return MAINLAND_MOBILE.test(value);
}

/** Keeps the first `head` and last `tail` characters and stars the rest (code points, not UTF-16 units). */
function keepEnds(value: string, head: number, tail: number): string {
  const characters = [...value];
  const stars = '*'.repeat(characters.length - head - tail);
  return characters.slice(0, head).join('') + stars + characters.slice(characters.length - tail).join('');
}

function keepLast(value: string, kept: number): string {
  // A value no longer than what would be kept gives up more, down to all stars for one character.
  return keepEnds(value, 0, Math.max(0, Math.min(kept, [...value].length - 1)));
}

/** '13812345678' → '138****5678' for a mainland mobile; anything else keeps only its last 2 characters. */
export function maskPhone(phone: string): string {
  return isMainlandMobile(phone) ? keepEnds(phone, 3, 4) : keepLast(phone, 2);
}

/** Keeps the first 4 and last 2 characters; a value too short to star anything between keeps only its last. */
export function maskCertificate(certificateNo: string): string {
  return [...certificateNo].length > 4 + 2 ? keepEnds(certificateNo, 4, 2) : keepLast(certificateNo, 1);
}

export function maskPhonesInText(text: string): string {
  return text.replace(MAINLAND_MOBILE_IN_TEXT, maskPhone);
}
