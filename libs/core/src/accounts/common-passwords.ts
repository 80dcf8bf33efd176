import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The common-password list zxcvbn-ts keeps (tens of thousands of leaked passwords, lower-case). A new
 * password is refused when it is on it, in any case: a maintained list, not one of our own.
 */
const COMMON = new Set(dictionary['passwords-common'].map((password) => password.toLowerCase()));

export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.toLowerCase());
}
