/**
 * opencc-js ships its types as ES modules; its `require` entry (UMD) is what this CommonJS build loads,
 * typed here by the one function used.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Converter } = require('opencc-js/t2cn') as { Converter(options: { from: 'tw'; to: 'cn' }): (text: string) => string };

/**
 * Traditional characters to simplified (OpenCC's Taiwan table, which holds the standard traditional
 * forms too): names are registered in simplified characters, so 新東方 must find 新东方.
 */
const toSimplified = Converter({ from: 'tw', to: 'cn' });

/**
 * A search as people type it, made the form the register holds (docs/decisions.md "Search that forgives"):
 * full-width letters, digits and punctuation to half-width (NFKC), spaces squeezed, traditional
 * characters to simplified, and a licence number typed with any separators or none
 * (430104 2026 00001, 430104202600001, ４３０１０４－２０２６－０００１２) to its canonical 430104-2026-00001.
 */
export function normaliseSearch(raw: string | undefined): string {
  const text = toSimplified((raw ?? '').normalize('NFKC'))
    .replace(/\s+/g, ' ')
    .trim();
  const digits = text.replace(/[\s\-–—_./·・,，、]/g, '');
  if (/^\d{15}$/.test(digits)) return `${digits.slice(0, 6)}-${digits.slice(6, 10)}-${digits.slice(10)}`;
  return text;
}
