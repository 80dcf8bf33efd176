import { Injectable } from '@nestjs/common';
import type { Role } from '../auth/principal';
import { Db, changedRows, firstRow } from '../database/sql';

/** A person's account as stored, without its password hash (only login reads that). */
export interface User {
  id: string;
  /** Login name; a parent's is the mobile number. Stored lower-case. */
  username: string;
  role: Role;
  name: string;
  phone: string | null;
  /** A regulator's scope: a district, or XXXX00 for a whole city. */
  districtCode: string | null;
  createdAt: Date;
}

export type NewUser = Omit<User, 'id'> & { passwordHash: string };

/** What a login checks: the hash, and what goes into the token. */
export type UserCredentials = Pick<User, 'id' | 'role' | 'name' | 'districtCode'> & { passwordHash: string; tokenVersion: number; disabled: boolean };

/** What each request checks of the account behind a token. */
export interface TokenStanding {
  tokenVersion: number;
  disabled: boolean;
}

const COLUMNS = `id, username, role, name, phone, district_code AS "districtCode", created_at AS "createdAt"`;

@Injectable()
export class UsersRepository {
  /** The new account, or undefined when the username is taken: the unique index decides, so a race is no error. */
  insertIfNew(db: Db, user: NewUser): Promise<User | undefined> {
    return firstRow<User>(
      db,
      `INSERT INTO users (username, password_hash, role, name, phone, district_code, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
      [user.username, user.passwordHash, user.role, user.name, user.phone, user.districtCode, user.createdAt],
    );
  }

  findById(db: Db, id: string): Promise<User | undefined> {
    return firstRow<User>(db, `SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
  }

  /** `username` lower-case, as stored. */
  credentials(db: Db, username: string): Promise<UserCredentials | undefined> {
    return firstRow<UserCredentials>(
      db,
      `SELECT id, role, name, district_code AS "districtCode", password_hash AS "passwordHash", token_version AS "tokenVersion",
              disabled_at IS NOT NULL AS disabled
         FROM users WHERE username = $1`,
      [username],
    );
  }

  /** By primary key: one index probe on every authenticated request. */
  tokenStanding(db: Db, id: string): Promise<TokenStanding | undefined> {
    return firstRow<TokenStanding>(db, `SELECT token_version AS "tokenVersion", disabled_at IS NOT NULL AS disabled FROM users WHERE id = $1`, [id]);
  }

  passwordHash(db: Db, id: string): Promise<string | undefined> {
    return firstRow<{ hash: string }>(db, `SELECT password_hash AS hash FROM users WHERE id = $1`, [id]).then((row) => row?.hash);
  }

  /** Ends every token issued so far (optionally setting a new password hash in the same statement): the new version. */
  async bumpTokenVersion(db: Db, id: string, passwordHash?: string): Promise<number | undefined> {
    const [row] = await changedRows<{ tokenVersion: number }>(
      db,
      `UPDATE users SET token_version = token_version + 1, password_hash = COALESCE($2, password_hash) WHERE id = $1 RETURNING token_version AS "tokenVersion"`,
      [id, passwordHash ?? null],
    );
    return row?.tokenVersion;
  }

  /** Disables (with the instant) or enables (null) an account, ending its tokens either way. */
  async setDisabled(db: Db, id: string, disabledAt: Date | null): Promise<Pick<User, 'id' | 'role' | 'districtCode'> | undefined> {
    const [row] = await changedRows<Pick<User, 'id' | 'role' | 'districtCode'>>(
      db,
      `UPDATE users SET disabled_at = $2, token_version = token_version + 1 WHERE id = $1 RETURNING id, role, district_code AS "districtCode"`,
      [id, disabledAt],
    );
    return row;
  }

  async usernameTaken(db: Db, username: string): Promise<boolean> {
    return Boolean(await firstRow(db, `SELECT 1 FROM users WHERE username = $1`, [username]));
  }

  async anyWithRole(db: Db, role: Role): Promise<boolean> {
    return Boolean(await firstRow(db, `SELECT 1 FROM users WHERE role = $1 LIMIT 1`, [role]));
  }
}
