import { InstitutionsService } from '@app/registry';
import { JOB_SCHEDULES, QueueFactory } from '@app/jobs';
import { DataSource } from 'typeorm';
import { newInstitution } from '../support/factories';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';

describe('licence expiry job', () => {
  let platform: TestPlatform;
  let dataSource: DataSource;

  beforeAll(async () => {
    platform = await startPlatform();
    dataSource = platform.api.get(DataSource);
  });
  afterAll(() => platform?.close());

  async function licensedUntil(validUntil: string): Promise<string> {
    const [owner] = await dataSource.query(
      `INSERT INTO users (username, password_hash, role, name, created_at) VALUES ($1, 'x', 'institution', 'o', $2) RETURNING id`,
      [`owner-${validUntil}-${Math.random()}`, platform.clock.now()],
    );
    const draft = newInstitution();
    const [row] = await dataSource.query(
      `INSERT INTO institutions (owner_user_id, name, uscc, district_code, address, category, delivery, legal_representative, premises_area_m2, capacity, phone, status, licence_number, licence_valid_from, licence_valid_until, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'licensed', $12, $13, $14, $15, $15) RETURNING id`,
      [
        owner.id,
        draft.name,
        draft.uscc,
        draft.districtCode,
        draft.address,
        draft.category,
        draft.delivery,
        draft.legalRepresentative,
        draft.premisesAreaM2,
        draft.capacity,
        draft.phone,
        `430104-2020-${String(Math.floor(Math.random() * 99999)).padStart(5, '0')}`,
        platform.clock.daysFromToday(-1000),
        validUntil,
        platform.clock.now(),
      ],
    );
    return row.id;
  }

  it('expires licences whose validity has ended, once, recording the step', async () => {
    // Valid through the last day of its validity: yesterday's has ended, today's has not.
    const ended = await licensedUntil(platform.clock.daysFromToday(-1));
    const valid = await licensedUntil(platform.clock.today());
    const service = platform.api.get(InstitutionsService);

    expect(await service.expireDue()).toEqual([ended]);
    expect(await service.expireDue()).toEqual([]);

    const statuses = await dataSource.query(`SELECT id, status FROM institutions WHERE id = ANY($1::uuid[]) ORDER BY status`, [[ended, valid]]);
    expect(statuses).toEqual([
      { id: ended, status: 'expired' },
      { id: valid, status: 'licensed' },
    ]);
    const events = await dataSource.query(`SELECT action, actor_role FROM institution_events WHERE institution_id = $1`, [ended]);
    expect(events).toEqual([{ action: 'expire', actor_role: 'system' }]);
  });

  it('deems granted a renewal still undecided on the last day, before expiring the rest, once', async () => {
    const lastDay = platform.clock.today();
    const pending = await licensedUntil(lastDay);
    const lapsed = await licensedUntil(platform.clock.daysFromToday(-1));
    await dataSource.query(`UPDATE institutions SET renewal_applied_at = $2, renewal_valid_years = 2 WHERE id = ANY($1::uuid[])`, [
      [pending, lapsed],
      platform.clock.now(),
    ]);
    const service = platform.api.get(InstitutionsService);

    expect(await service.expireDue()).toEqual([]);
    expect(await service.expireDue()).toEqual([]);

    const rows = await dataSource.query(
      `SELECT id, status, licence_valid_from::text AS "from", renewal_applied_at AS "applied" FROM institutions WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [[pending, lapsed]],
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        { id: pending, status: 'licensed', from: platform.clock.daysFromToday(1), applied: null },
        { id: lapsed, status: 'licensed', from: lastDay, applied: null },
      ]),
    );
    const events = await dataSource.query(`SELECT action, actor_role FROM institution_events WHERE institution_id = ANY($1::uuid[])`, [[pending, lapsed]]);
    expect(events).toEqual([
      { action: 'deem_renewal', actor_role: 'system' },
      { action: 'deem_renewal', actor_role: 'system' },
    ]);
  });

  it('registers every scheduler once however many workers start together, in Asia/Shanghai', async () => {
    await Promise.all([platform.startWorker({ ENABLE_SCHEDULERS: 'true' }), platform.startWorker({ ENABLE_SCHEDULERS: 'true' })]);
    const queues = platform.api.get(QueueFactory);
    await eventually(async () => {
      for (const schedule of JOB_SCHEDULES) {
        const schedulers = await queues.queue(schedule.queue).getJobSchedulers();
        expect(schedulers.filter((scheduler) => scheduler.key === schedule.id)).toEqual([
          expect.objectContaining({ pattern: schedule.pattern, tz: 'Asia/Shanghai' }),
        ]);
      }
    });
    const registered = (await Promise.all(queues.allQueues().map((queue) => queue.getJobSchedulers()))).flat();
    expect(registered).toHaveLength(JOB_SCHEDULES.length);
  });
});
