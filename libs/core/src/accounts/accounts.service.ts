import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { DomainError, conflict, notFound } from '../errors/domain-error';
import { OutboxService } from '../outbox/outbox.service';
import { ReferenceDataService } from '../reference/reference-data.service';
import { Principal, Role } from '../auth/principal';
import { hashApiKey, newApiKey } from './api-key';
import { BankClientsRepository } from './bank-clients.repository';
import { hashPassword, verifyPassword } from './password';
import { isCommonPassword } from './common-passwords';
import { User, UserCredentials, UsersRepository } from './users.repository';

/** What an access token carries; `tv` is the account's token version when it was issued. */
interface TokenClaims {
  sub: string;
  role: Role;
  name: string;
  dc?: string;
  tv: number;
}

function refuseCommon(password: string): string {
  if (isCommonPassword(password)) {
    throw new DomainError(422, 'ACCOUNT.COMMON_PASSWORD', 'This password is among the most common ones; choose another.', {
      errors: [{ field: 'password', message: 'a common password' }],
    });
  }
  return password;
}

export interface NewAccount {
  username: string;
  password: string;
  name: string;
  role: Role;
  phone?: string | null;
  districtCode?: string | null;
}

export interface AccessToken {
  accessToken: string;
  role: Role;
  expiresIn: number;
}

/** An account as its owner and the admin see it. */
export type PublicUser = Pick<User, 'id' | 'username' | 'role' | 'name' | 'phone' | 'districtCode' | 'createdAt'>;

/** What the caller may see, in words a client can act on. */
export type AccountScope =
  { all: true } | { districtCode: string | null; cityWide: boolean } | { ownInstitutions: true } | { ownContracts: true } | { districtCode?: string };

/** `GET /me`: a person's account and scope, or a bank client's name and scope. */
export type AccountView = (PublicUser & { scope: AccountScope }) | (Pick<Principal, 'id' | 'role' | 'name'> & { scope: AccountScope });

@Injectable()
export class AccountsService {
  private readonly logger = new Logger(AccountsService.name);
  /** Verified against when the username is unknown, so a wrong username costs as long as a wrong password. */
  private readonly dummyHash = hashPassword('no such user');

  constructor(
    private readonly users: UsersRepository,
    private readonly bankClients: BankClientsRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly reference: ReferenceDataService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async createAccount(account: NewAccount): Promise<User> {
    if (account.districtCode && !(await this.reference.isKnownDivision(account.districtCode))) {
      throw new DomainError(422, 'REFERENCE.UNKNOWN_DISTRICT', `${account.districtCode} is not a district or city the platform serves.`, {
        errors: [{ field: 'districtCode', message: 'unknown district or city code' }],
      });
    }
    const passwordHash = await hashPassword(refuseCommon(account.password));
    return this.dataSource.transaction(async (manager) => {
      const username = account.username.toLowerCase();
      // The unique index decides; ON CONFLICT keeps a race from surfacing as a 500.
      const user = await this.users.insertIfNew(manager, {
        username,
        passwordHash,
        role: account.role,
        name: account.name,
        phone: account.phone ?? null,
        districtCode: account.districtCode ?? null,
        createdAt: this.clock.now(),
      });
      if (!user) throw conflict('ACCOUNT.USERNAME_TAKEN', `The username ${username} is already taken.`);
      await this.recordCreation(manager, user);
      return user;
    });
  }

  async createBankClient(name: string, districtCode: string): Promise<{ id: string; apiKey: string }> {
    if (!(await this.reference.isKnownDivision(districtCode))) {
      throw new DomainError(422, 'REFERENCE.UNKNOWN_DISTRICT', `${districtCode} is not a district or city the platform serves.`, {
        errors: [{ field: 'districtCode', message: 'unknown district or city code' }],
      });
    }
    const apiKey = newApiKey();
    return this.dataSource.transaction(async (manager) => {
      const id = await this.bankClients.insert(manager, { name, districtCode, apiKeyHash: hashApiKey(apiKey), createdAt: this.clock.now() });
      await this.audit.record(manager, { action: 'bank_client.created', targetType: 'bank_client', targetId: id, districtCode, details: { name } });
      return { id, apiKey };
    });
  }

  /** The bank client of this name in a district, made the first time it is asked for (the sandbox bank of npm start). */
  async bankClientNamed(name: string, districtCode: string): Promise<Principal> {
    const found = await this.bankClients.findNamed(this.dataSource.manager, name, districtCode);
    const id = found?.id ?? (await this.createBankClient(name, districtCode)).id;
    return { id, role: 'bank', name, districtCode };
  }

  /** Creates the admin from ADMIN_USERNAME / ADMIN_PASSWORD the first time the platform starts. */
  async ensureAdmin(): Promise<void> {
    const username = this.config.get('ADMIN_USERNAME');
    const password = this.config.get('ADMIN_PASSWORD');
    if (!username || !password) return;
    if (await this.users.anyWithRole(this.dataSource.manager, 'admin')) return;
    try {
      await this.createAccount({ username, password, name: 'Administrator', role: 'admin' });
      this.logger.log(`created the admin account ${username}`);
    } catch (error) {
      // Another process created it at the same moment.
      if (!(error instanceof DomainError && error.code === 'ACCOUNT.USERNAME_TAKEN')) throw error;
    }
  }

  /** Whether a login name is taken (any case). */
  usernameTaken(username: string): Promise<boolean> {
    return this.users.usernameTaken(this.dataSource.manager, username.toLowerCase());
  }

  async login(username: string, password: string): Promise<AccessToken> {
    const user = await this.users.credentials(this.dataSource.manager, username.toLowerCase());
    const valid = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), password);
    if (!user || !valid) throw new DomainError(401, 'AUTH.INVALID_CREDENTIALS', 'The username or password is wrong.');
    // Said only to whoever knows the password: to anyone else a disabled account looks like any other.
    if (user.disabled) throw new DomainError(401, 'AUTH.ACCOUNT_DISABLED', 'This account has been disabled by the administrator.');
    return this.issueToken(user);
  }

  /**
   * The token's signature, then its version against the account's: logout, a password change and an
   * admin's disabling bump the version, so every token issued before is refused on its next request
   * (one primary-key read a request; docs/decisions.md, "Security").
   */
  async principalFromToken(token: string): Promise<Principal | undefined> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch {
      return undefined;
    }
    if (typeof claims.tv !== 'number') return undefined;
    const standing = await this.users.tokenStanding(this.dataSource.manager, claims.sub);
    if (!standing || standing.disabled || standing.tokenVersion !== claims.tv) return undefined;
    return { id: claims.sub, role: claims.role, name: claims.name, districtCode: claims.dc };
  }

  /** Ends every session of the caller: each token issued so far is refused from now on. */
  async logout(principal: Principal): Promise<void> {
    await this.users.bumpTokenVersion(this.dataSource.manager, principal.id);
  }

  /** A new password ends every session; the answer is a fresh token so the caller's own session goes on. */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string): Promise<AccessToken> {
    const hash = await this.users.passwordHash(this.dataSource.manager, principal.id);
    if (!hash || !(await verifyPassword(hash, currentPassword))) {
      throw new DomainError(422, 'AUTH.WRONG_PASSWORD', 'The current password is wrong.', {
        errors: [{ field: 'currentPassword', message: 'wrong password' }],
      });
    }
    const newHash = await hashPassword(refuseCommon(newPassword));
    const tokenVersion = await this.users.bumpTokenVersion(this.dataSource.manager, principal.id, newHash);
    const user = await this.users.findById(this.dataSource.manager, principal.id);
    if (tokenVersion === undefined || !user) throw notFound('The account');
    return this.issueToken({ ...user, tokenVersion });
  }

  /** The admin disables (or enables again) an account; either way its tokens end at once. Audited with the reason. */
  async setDisabled(principal: Principal, userId: string, disabled: boolean, reason: string): Promise<PublicUser> {
    if (disabled && userId === principal.id) {
      throw new DomainError(422, 'ACCOUNT.CANNOT_DISABLE_SELF', 'An administrator cannot disable their own account.');
    }
    return this.dataSource.transaction(async (manager) => {
      const changed = await this.users.setDisabled(manager, userId, disabled ? this.clock.now() : null);
      if (!changed) throw notFound('The account');
      await this.audit.record(manager, {
        action: disabled ? 'user.disabled' : 'user.enabled',
        targetType: 'user',
        targetId: userId,
        reason,
        districtCode: changed.districtCode,
      });
      return publicUser((await this.users.findById(manager, userId))!);
    });
  }

  private async issueToken(user: Pick<UserCredentials, 'id' | 'role' | 'name' | 'districtCode' | 'tokenVersion'>): Promise<AccessToken> {
    const expiresIn = this.config.get('JWT_TTL_SECONDS');
    const claims: TokenClaims = { sub: user.id, role: user.role, name: user.name, dc: user.districtCode ?? undefined, tv: user.tokenVersion };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn });
    return { accessToken, role: user.role, expiresIn };
  }

  async principalFromApiKey(apiKey: string): Promise<Principal | undefined> {
    const client = await this.bankClients.findByApiKeyHash(this.dataSource.manager, hashApiKey(apiKey));
    return client ? { id: client.id, role: 'bank', name: client.name, districtCode: client.districtCode } : undefined;
  }

  async me(principal: Principal): Promise<AccountView> {
    if (principal.role === 'bank') {
      return { id: principal.id, role: principal.role, name: principal.name, scope: { districtCode: principal.districtCode } };
    }
    const user = await this.users.findById(this.dataSource.manager, principal.id);
    if (!user) throw notFound('The account');
    return { ...publicUser(user), scope: scopeOf(user) };
  }

  private async recordCreation(manager: EntityManager, user: User): Promise<void> {
    if (user.role === 'regulator' || user.role === 'admin') {
      await this.audit.record(manager, { action: `${user.role}.created`, targetType: 'user', targetId: user.id, districtCode: user.districtCode });
    }
    await this.outbox.add(manager, 'account.created', { userId: user.id, role: user.role });
  }
}

export function publicUser(user: User): PublicUser {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    name: user.name,
    phone: user.phone,
    districtCode: user.districtCode,
    createdAt: user.createdAt,
  };
}

function scopeOf(user: User): AccountScope {
  switch (user.role) {
    case 'admin':
      return { all: true };
    case 'regulator':
      return { districtCode: user.districtCode, cityWide: /^\d{4}00$/.test(user.districtCode ?? '') };
    case 'institution':
      return { ownInstitutions: true };
    default:
      return { ownContracts: true };
  }
}
