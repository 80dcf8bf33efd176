import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, Clock } from '@app/core';
import { DataSource } from 'typeorm';
import { QueueDashboardPassesRepository } from './queue-dashboard-passes.repository';

/** How long a code may wait to be opened: it travels in a URL, so it should be spent at once. */
export const CODE_TTL_SECONDS = 60;

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

/**
 * The queue dashboard is opened with a one-time code, not an access token in the URL (URLs end up in
 * history, logs and Referer headers): an admin asks the API for a code, the dashboard spends it once and
 * sets a cookie of its own (docs/decisions.md, "Security").
 */
@Injectable()
export class QueueDashboardPasses {
  constructor(
    private readonly passes: QueueDashboardPassesRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async issueCode(adminId: string): Promise<{ code: string; expiresAt: Date }> {
    const code = newSecret();
    const at = this.clock.now();
    const expiresAt = new Date(at.getTime() + CODE_TTL_SECONDS * 1000);
    await this.passes.issue(this.dataSource.manager, { hash: hashOf(code), kind: 'code', userId: adminId, expiresAt, at });
    return { code, expiresAt };
  }

  /** Spends a code: the secret of a new dashboard session (as long as an access token lives), or undefined. */
  async redeem(code: string): Promise<{ session: string; maxAgeSeconds: number } | undefined> {
    const at = this.clock.now();
    const userId = await this.passes.redeemCode(this.dataSource.manager, hashOf(code), at);
    if (!userId) return undefined;
    const session = newSecret();
    const maxAgeSeconds = this.config.get('JWT_TTL_SECONDS');
    await this.passes.issue(this.dataSource.manager, {
      hash: hashOf(session),
      kind: 'session',
      userId,
      expiresAt: new Date(at.getTime() + maxAgeSeconds * 1000),
      at,
    });
    return { session, maxAgeSeconds };
  }

  sessionIsGood(session: string): Promise<boolean> {
    return this.passes.sessionIsGood(this.dataSource.manager, hashOf(session), this.clock.now());
  }
}
