import { randomUUID } from 'node:crypto';
import { LessonsService, RefundsService } from '@app/tuition';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld, as } from '../support/tuition-world';
import { contractWindow, lessonAt } from '../support/dates';

/**
 * Random sequences of payments, lessons, confirmations, disputes, resolutions, refunds, settlements and
 * revocations, from 8 concurrent clients with some requests replayed, against real PostgreSQL. After
 * every run each invariant of docs/domain.md, “Escrow ledger” must hold, and no request may have failed with a 5xx.
 */
type Command =
  | { kind: 'pay'; contract: number; amount: number }
  | { kind: 'lesson'; school: number; pupils: number[] }
  | { kind: 'confirm' | 'dispute'; pick: number }
  | { kind: 'resolve'; pick: number; outcome: 'confirm' | 'void' }
  | { kind: 'refund'; contract: number }
  | { kind: 'answer'; pick: number; accept: boolean }
  | { kind: 'settle' }
  | { kind: 'revoke'; school: number }
  | { kind: 'autoConfirm' };

const CLIENTS = 8;

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('pay' as const), contract: fc.nat(15), amount: fc.integer({ min: 1, max: 60_000 }) }) },
  {
    weight: 12,
    arbitrary: fc.record({ kind: fc.constant('lesson' as const), school: fc.nat(2), pupils: fc.uniqueArray(fc.nat(15), { minLength: 1, maxLength: 6 }) }),
  },
  { weight: 9, arbitrary: fc.record({ kind: fc.constantFrom('confirm' as const, 'dispute' as const), pick: fc.nat(50) }) },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('resolve' as const), pick: fc.nat(50), outcome: fc.constantFrom('confirm' as const, 'void' as const) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('refund' as const), contract: fc.nat(15) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(10), accept: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('settle' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('autoConfirm' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), school: fc.nat(2) }) },
);

describe('ledger properties under concurrency', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let dataSource: DataSource;

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
    dataSource = platform.api.get(DataSource);
  });
  afterAll(() => platform?.close());

  it('keeps every invariant after random concurrent sequences with replays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 30, maxLength: 80 }), fc.array(fc.nat(79), { maxLength: 10 }), async (commands, replays) => {
        const schools: School[] = [];
        for (let i = 0; i < 3; i++) schools.push(await world.school(5_000 + i * 1_000));
        const parents: string[] = [];
        for (let i = 0; i < 4; i++) parents.push(await world.parent());
        const contracts: Array<{ id: string; parent: string; school: School }> = [];
        for (let i = 0; i < 16; i++) {
          const school = schools[i % 3];
          const parent = parents[i % 4];
          const created = await platform
            .http()
            .post('/api/v1/contracts')
            .set(as(parent))
            .send({ courseId: school.courseId, studentName: `学生${i}`, lessons: 12, ...contractWindow(platform.clock) })
            .expect(201);
          contracts.push({ id: created.body.id, parent, school });
        }

        const failures: Array<{ status: number; body: unknown }> = [];
        const send = async (request: () => Promise<{ status: number; body?: unknown }>) => {
          const response = await request();
          if (response.status >= 500) failures.push({ status: response.status, body: response.body });
        };
        const consumptionsOf = (status: string) =>
          dataSource.query(
            `SELECT s.id, c.parent_user_id AS parent FROM consumptions s JOIN contracts c ON c.id = s.contract_id WHERE s.status = $1 AND c.id = ANY($2::uuid[]) ORDER BY s.id`,
            [status, contracts.map((contract) => contract.id)],
          ) as Promise<Array<{ id: string }>>;
        const tokenOfConsumption = async (consumptionId: string) => {
          const [row] = await dataSource.query(`SELECT contract_id AS "contractId" FROM consumptions WHERE id = $1`, [consumptionId]);
          return contracts.find((contract) => contract.id === row.contractId)!.parent;
        };

        const run = async (step: Command, idempotencyKey: string) => {
          const http = platform.http();
          switch (step.kind) {
            case 'pay': {
              const contract = contracts[step.contract];
              return send(() =>
                http
                  .post(`/api/v1/contracts/${contract.id}/payments`)
                  .set(as(contract.parent))
                  .set('Idempotency-Key', idempotencyKey)
                  .send({ amountFen: step.amount, channel: 'alipay', externalRef: idempotencyKey }),
              );
            }
            case 'lesson': {
              const school = schools[step.school];
              const pupils = step.pupils.map((index) => contracts[index]).filter((contract) => contract.school === school);
              if (!pupils.length) return;
              return send(() =>
                platform
                  .http()
                  .post('/api/v1/lessons')
                  .set(as(world.owner))
                  .set('Idempotency-Key', idempotencyKey)
                  .send({ courseId: school.courseId, startsAt: lessonAt(platform.clock), minutes: 45, contractIds: pupils.map((pupil) => pupil.id) }),
              );
            }
            case 'confirm':
            case 'dispute': {
              const pending = await consumptionsOf('pending');
              if (!pending.length) return;
              const target = pending[step.pick % pending.length];
              const parent = await tokenOfConsumption(target.id);
              return send(() => http.post(`/api/v1/consumptions/${target.id}/${step.kind}`).set(as(parent)).set('Idempotency-Key', idempotencyKey).send({}));
            }
            case 'resolve': {
              const disputed = await consumptionsOf('disputed');
              if (!disputed.length) return;
              const target = disputed[step.pick % disputed.length];
              return send(() =>
                http
                  .post(`/api/v1/consumptions/${target.id}/resolve`)
                  .set(as(world.regulator))
                  .set('Idempotency-Key', idempotencyKey)
                  .send({ outcome: step.outcome, reason: '裁定' }),
              );
            }
            case 'refund': {
              const contract = contracts[step.contract];
              return send(() =>
                http
                  .post(`/api/v1/contracts/${contract.id}/refund-requests`)
                  .set(as(contract.parent))
                  .set('Idempotency-Key', idempotencyKey)
                  .send({ reason: '退费' }),
              );
            }
            case 'answer': {
              const open: Array<{ id: string }> = await dataSource.query(
                `SELECT id FROM refund_requests WHERE status = 'requested' AND contract_id = ANY($1::uuid[]) ORDER BY id`,
                [contracts.map((c) => c.id)],
              );
              if (!open.length) return;
              const target = open[step.pick % open.length];
              return send(() =>
                http
                  .post(`/api/v1/refund-requests/${target.id}/${step.accept ? 'accept' : 'reject'}`)
                  .set(as(world.owner))
                  .set('Idempotency-Key', idempotencyKey)
                  .send({ reason: '答复' }),
              );
            }
            case 'settle':
              return send(() => http.post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }));
            case 'autoConfirm':
              await dataSource.query(
                `UPDATE consumptions SET auto_confirm_at = $1 WHERE status = 'pending' AND id IN (SELECT id FROM consumptions WHERE status = 'pending' ORDER BY random() LIMIT 3)`,
                [platform.clock.now()],
              );
              await platform.api.get(LessonsService).autoConfirmDue();
              return;
            case 'revoke': {
              const school = schools[step.school];
              await send(() => http.post(`/api/v1/institutions/${school.institutionId}/suspend`).set(as(world.regulator)).send({ reason: '风险' }));
              await send(() => http.post(`/api/v1/institutions/${school.institutionId}/revoke`).set(as(world.regulator)).send({ reason: '吊销' }));
              await platform.api.get(RefundsService).refundInstitution(school.institutionId);
              return;
            }
          }
        };

        // Each command gets an idempotency key; some are sent again with the same key (a client's retry).
        const keyed = commands.map((step) => ({ step, key: `prop-${randomUUID()}` }));
        const plan = [...keyed, ...replays.filter((index) => index < keyed.length).map((index) => keyed[index])];
        const lanes = Array.from({ length: CLIENTS }, (_, lane) => plan.filter((_, index) => index % CLIENTS === lane));
        await Promise.all(
          lanes.map(async (lane) => {
            for (const { step, key } of lane) await run(step, key);
          }),
        );

        expect(failures).toEqual([]);
        const check = await platform.http().get('/api/v1/ledger/check').set(as(world.regulator)).expect(200);
        expect(check.body.invariants.filter((invariant: { ok: boolean }) => !invariant.ok)).toEqual([]);
      }),
      { numRuns: 4, endOnFailure: true },
    );
  }, 600_000);
});
