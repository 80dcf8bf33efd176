import { createHash } from 'node:crypto';

/**
 * A UUID (version 5 layout, SHA-1 based) determined by its parts: the same parts always give the same
 * id. Deterministic ids make money movements idempotent: a settlement of one institution and period,
 * or the payment behind one Idempotency-Key, can only ever be inserted once.
 */
export function nameBasedUuid(...parts: Array<string | number>): string {
  const hash = createHash('sha1').update(parts.join('\u001f')).digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
