import { QueueFactory } from '@app/jobs';
import { DataSource } from 'typeorm';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { PlatformProcess, startWorkerOf } from '../support/processes';
import { TuitionWorld, as, key } from '../support/tuition-world';
import { lessonAt } from '../support/dates';

const CONTRACTS = 10;

/**
 * A worker process is killed (SIGKILL) in the middle of the refund sweep of a revoked institution; a new
 * worker runs the sweep again. Every contract of the institution must be refunded exactly once: one
 * automatic refund request, one refund transfer, one payout instruction for the parent each.
 */
describe('refund sweep interrupted by a crash', () => {
  let platform: TestPlatform;
  let dataSource: DataSource;
  let world: TuitionWorld;
  let institutionId: string;
  const contractIds: string[] = [];
  const workers: PlatformProcess[] = [];
  const startWorkerProcess = () => {
    const worker = startWorkerOf(platform);
    workers.push(worker);
    return worker;
  };
  const automaticRefunds = async () =>
    (await dataSource.query(`SELECT count(*)::int AS n FROM refund_requests WHERE kind = 'automatic' AND contract_id = ANY($1::uuid[])`, [contractIds]))[0]
      .n as number;

  beforeAll(async () => {
    platform = await startPlatform();
    dataSource = platform.api.get(DataSource);
    world = await new TuitionWorld(platform).init();
    const school = await world.school(10_000);
    institutionId = school.institutionId;
    for (let i = 0; i < CONTRACTS; i++) {
      const parent = await world.parent();
      const contractId = await world.paidContract(parent, school, 3, `学生${i}`);
      contractIds.push(contractId);
      // Some contracts have a confirmed lesson, some a pending one, some none: each refund differs.
      if (i % 3 === 2) continue;
      const [consumption] = (await world.recordLesson(school, [contractId], lessonAt(platform.clock)).expect(201)).body.consumptions;
      if (i % 3 === 0) await platform.http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parent)).set(key()).send({}).expect(200);
    }
    await platform.http().post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }).expect(200);
    // Fault injection, in this test's own database only: each automatic refund takes 300 ms to write, so
    // the kill lands while the sweep is half done.
    await dataSource.query(`CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.3); RETURN NEW; END $$`);
    await dataSource.query(`CREATE TRIGGER slow_refund BEFORE INSERT ON refund_requests FOR EACH ROW EXECUTE FUNCTION slow_down()`);
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.crash()));
    await platform?.close();
  });

  it('refunds every contract of the revoked institution exactly once when the sweep is run again after the crash', async () => {
    const institution = `/api/v1/institutions/${institutionId}`;
    await platform.http().post(`${institution}/suspend`).set(as(world.regulator)).send({ reason: '跑路风险' }).expect(200);
    await platform.http().post(`${institution}/revoke`).set(as(world.regulator)).send({ reason: '吊销' }).expect(200);
    const queue = platform.api.get(QueueFactory).queue('settlement');

    const first = startWorkerProcess();
    await queue.add('refund-sweep', {}, { jobId: 'sweep-first-try' });
    await eventually(async () => expect(await automaticRefunds()).toBeGreaterThanOrEqual(2), 60_000, 50);
    await first.crash();
    const refundedBeforeCrash = await automaticRefunds();
    expect(refundedBeforeCrash).toBeLessThan(CONTRACTS);

    await dataSource.query(`DROP TRIGGER slow_refund ON refund_requests`);
    startWorkerProcess();
    // The next run of the sweep (its scheduler every ten minutes) refunds the rest.
    await queue.add('refund-sweep', {}, { jobId: 'sweep-after-crash' });
    await eventually(async () => expect(await automaticRefunds()).toBe(CONTRACTS), 60_000);
    await queue.add('refund-sweep', {}, { jobId: 'sweep-once-more' });
    await eventually(async () => expect(await queue.getJobState('sweep-once-more')).toBe('completed'), 60_000);

    const perContract = await dataSource.query(
      `SELECT c.id, c.status,
              (SELECT count(*) FROM refund_requests r WHERE r.contract_id = c.id AND r.kind = 'automatic' AND r.status = 'accepted')::int AS requests,
              (SELECT count(*) FROM ledger_transfers t WHERE t.contract_id = c.id AND t.code = 'refund')::int AS refunds,
              (SELECT count(*) FROM payout_instructions p WHERE p.contract_id = c.id AND p.kind = 'parent_refund')::int AS instructions
       FROM contracts c WHERE c.id = ANY($1::uuid[]) ORDER BY c.id`,
      [contractIds],
    );
    expect(perContract).toHaveLength(CONTRACTS);
    for (const row of perContract) expect(row).toMatchObject({ status: 'refunded', requests: 1, refunds: 1, instructions: 1 });
    const [{ refunded, instructed }] = await dataSource.query(
      `SELECT (SELECT sum(amount) FROM ledger_transfers WHERE code = 'refund' AND contract_id = ANY($1::uuid[]))::bigint AS refunded,
              (SELECT sum(amount_fen) FROM payout_instructions WHERE kind = 'parent_refund' AND contract_id = ANY($1::uuid[]))::bigint AS instructed`,
      [contractIds],
    );
    expect(refunded).toBe(instructed);
    const check = await platform.http().get('/api/v1/ledger/check').set(as(world.regulator)).expect(200);
    expect(check.body.invariants.filter((invariant: { ok: boolean }) => !invariant.ok)).toEqual([]);
  });
});
