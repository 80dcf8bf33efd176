import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys are 32 random bytes, so a fast SHA-256 is as safe to store as a slow password hash, and it
 * lets every bank request look its key up by index instead of running argon2.
 */
export function newApiKey(): string {
  return `bk_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}
