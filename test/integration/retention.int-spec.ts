import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RetentionService } from '@app/core';
import { TestPlatform, startPlatform } from '../support/platform';

describe('retention', () => {
  let platform: TestPlatform;
  let db: DataSource;
  let retention: RetentionService;
  const daysAgo = (days: number) => new Date(platform.clock.now().getTime() - days * 24 * 3600_000);
  const count = async (sql: string) => (await db.query(sql))[0].n as number;

  beforeAll(async () => {
    platform = await startPlatform();
    db = platform.api.get(DataSource);
    retention = platform.api.get(RetentionService);
  });
  afterAll(() => platform?.close());

  it('forgets Idempotency-Keys after 30 days, by the clock, and keeps younger ones', async () => {
    const key = (days: number) =>
      db.query(`INSERT INTO idempotency_keys (principal_id, key, request_hash, status, body, created_at) VALUES ($1, $2, 'h', 201, '{}', $3)`, [
        randomUUID(),
        `k-${randomUUID()}`,
        daysAgo(days),
      ]);
    for (const days of [31, 45, 29, 1]) await key(days);
    expect(await retention.purgeIdempotencyKeys()).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM idempotency_keys`)).toBe(2);
    platform.clock.advanceDays(2); // the 29-day-old key is now 31 days old
    expect(await retention.purgeIdempotencyKeys()).toBe(1);
    expect(await retention.purgeIdempotencyKeys()).toBe(0);
  });

  it('deletes outbox events relayed more than 7 days ago, never unsent ones however old', async () => {
    await db.query(`UPDATE outbox SET sent_at = created_at WHERE sent_at IS NULL`); // the admin's account event
    const event = (createdDaysAgo: number, sentDaysAgo: number | null) =>
      db.query(`INSERT INTO outbox (id, type, payload, created_at, sent_at) VALUES ($1, 'account.created', '{}', $2, $3)`, [
        randomUUID(),
        daysAgo(createdDaysAgo),
        sentDaysAgo === null ? null : daysAgo(sentDaysAgo),
      ]);
    await event(30, 8);
    await event(10, 9);
    await event(7, 6);
    await event(40, null);
    const before = await count(`SELECT count(*)::int AS n FROM outbox`);
    expect(await retention.purgeSentOutbox()).toBe(2);
    expect(await count(`SELECT count(*)::int AS n FROM outbox`)).toBe(before - 2);
    expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`)).toBe(1);
  });
});
