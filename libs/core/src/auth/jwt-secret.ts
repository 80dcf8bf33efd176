import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Environment } from '../config/environment';

/**
 * JWT_SECRET when set (required in production). In development a secret is made once and kept in
 * DATA_DIR, so tokens survive a restart and api and worker started separately agree on it.
 */
export function jwtSecret(environment: Environment): string {
  if (environment.JWT_SECRET) return environment.JWT_SECRET;
  const dir = resolve(environment.DATA_DIR);
  const file = join(dir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}
