import { createHash } from 'node:crypto';

/** Digits and capitals a person reads aloud without confusion: no 0/O, 1/I. */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * The reference a parent writes on the transfer (and the bank sends back with its receipt): "PO" and
 * twelve characters derived from the order's id, so a retried request gets the same reference, and two
 * orders collide with odds of one in 2^60 (the unique index refuses that one).
 */
export function paymentReference(orderId: string): string {
  const digest = createHash('sha256').update(orderId).digest();
  let reference = 'PO';
  for (let i = 0; i < 12; i++) reference += ALPHABET[digest[i] % ALPHABET.length];
  return reference;
}
