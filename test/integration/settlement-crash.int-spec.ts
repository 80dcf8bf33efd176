import { QueueFactory } from '@app/jobs';
import { DataSource } from 'typeorm';
import { daysBackTo, isMonday } from '../support/dates';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { PlatformProcess, startWorkerOf } from '../support/processes';
import { TuitionWorld, as, key } from '../support/tuition-world';

const INSTITUTIONS = 12;

/**
 * A worker process is killed (SIGKILL) in the middle of a settlement cycle; a new worker runs the cycle
 * again. Every institution must be paid exactly once for the period.
 */
describe('settlement cycle interrupted by a crash', () => {
  let platform: TestPlatform;
  let dataSource: DataSource;
  const workers: PlatformProcess[] = [];
  const startWorkerProcess = () => {
    const worker = startWorkerOf(platform);
    workers.push(worker);
    return worker;
  };
  const settlementsMade = async () => (await dataSource.query(`SELECT count(*)::int AS n FROM settlements`))[0].n as number;

  beforeAll(async () => {
    platform = await startPlatform();
    dataSource = platform.api.get(DataSource);
    const world = await new TuitionWorld(platform).init();
    for (let i = 0; i < INSTITUTIONS; i++) {
      const school = await world.school(10_000 + i * 100);
      const parent = await world.parent();
      const contract = await world.paidContract(parent, school, 3);
      const [consumption] = (await world.recordLesson(school, [contract]).expect(201)).body.consumptions;
      await platform.http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parent)).set(key()).send({}).expect(200);
    }
    // Fault injection, in this test's own database only: each settlement takes 300 ms to write, so the
    // kill lands while the cycle is half done.
    await dataSource.query(`CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$`);
    await dataSource.query(`CREATE TRIGGER slow_settlement BEFORE INSERT ON settlements FOR EACH ROW EXECUTE FUNCTION slow_down()`);
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.crash()));
    await platform?.close();
  });

  it('pays each institution exactly once when the cycle is run again after the crash', async () => {
    const MONDAY = platform.clock.daysFromToday(-daysBackTo(platform.clock, isMonday, 7)); // weekly cycles fall due on Mondays
    const queue = platform.api.get(QueueFactory).queue('settlement');
    const first = startWorkerProcess();
    await queue.add('run-due-cycles', { businessDate: MONDAY }, { jobId: 'cycle-first-try' });
    await eventually(async () => expect(await settlementsMade()).toBeGreaterThanOrEqual(2), 60_000, 50);
    await first.crash();
    const paidBeforeCrash = await settlementsMade();
    expect(paidBeforeCrash).toBeLessThan(INSTITUTIONS);

    await dataSource.query(`DROP TRIGGER slow_settlement ON settlements`);
    startWorkerProcess();
    // The next run of the cycle (the scheduler's retry, or a regulator pressing "run") settles the rest.
    await queue.add('run-due-cycles', { businessDate: MONDAY }, { jobId: 'cycle-after-crash' });
    await eventually(async () => expect(await settlementsMade()).toBe(INSTITUTIONS), 60_000);
    await queue.add('run-due-cycles', { businessDate: MONDAY }, { jobId: 'cycle-once-more' });
    await eventually(async () => expect(await queue.getJobState('cycle-once-more')).toBe('completed'), 60_000);

    const perInstitution = await dataSource.query(
      `SELECT i.id, (SELECT count(*) FROM settlements s WHERE s.institution_id = i.id)::int AS settlements,
              (SELECT count(*) FROM payout_instructions p WHERE p.institution_id = i.id AND p.kind = 'institution_payout')::int AS payouts,
              (SELECT credits_posted - debits_posted FROM ledger_accounts a WHERE a.institution_id = i.id AND a.code = 'payable')::bigint AS payable
       FROM institutions i`,
    );
    expect(perInstitution).toHaveLength(INSTITUTIONS);
    for (const row of perInstitution) expect(row).toMatchObject({ settlements: 1, payouts: 1, payable: 0 });
    const [{ paid }] = await dataSource.query(`SELECT sum(amount)::bigint AS paid FROM ledger_transfers WHERE code = 'payout'`);
    const [{ expected }] = await dataSource.query(`SELECT sum(payout_fen)::bigint AS expected FROM settlements`);
    expect(paid).toBe(expected);
  });
});
