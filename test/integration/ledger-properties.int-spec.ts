import { randomUUID } from 'node:crypto';
import { LessonsService, PaymentOrdersService, RefundsService } from '@app/tuition';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld, as, key } from '../support/tuition-world';
import { contractWindow, lessonAt } from '../support/dates';

/**
 * Random sequences of everything that moves money, from 8 concurrent clients with some requests
 * replayed, against real PostgreSQL: payment orders and the bank's receipts in any order, duplicated,
 * through both channels (the receipt API and statement lines), for unknown references, wrong amounts and
 * orders expired by a moved clock; lessons, confirmations, disputes, refunds; settlements and payouts
 * acknowledged by the bank, held while an institution is suspended; regulators' refund orders with
 * claw-backs; revocations and the refund sweep. After every run each invariant of GET /api/v1/ledger/check
 * holds (custody_backed_by_receipts among them: custody never counts money the bank did not confirm),
 * no request failed with a 5xx, and a claw-back larger than payable + reserve was refused with nothing moved.
 *
 * CI runs ≥ 1,000 operations; `npm run test:long` (LONG=1) runs ≥ 10,000 (figures in docs/performance.md).
 * PROPERTY_RUNS overrides the number of runs; PROPERTY_SEED replays a failing run (fast-check prints its seed).
 */
const LONG = process.env.LONG === '1';
const RUNS = Number(process.env.PROPERTY_RUNS ?? (LONG ? 25 : 5));
const COMMANDS_PER_RUN = LONG ? 400 : 200;
const CLIENTS = 8;
const SCHOOLS = 3;
const CONTRACTS = 16;
const HOUR = 3_600_000;

type Command =
  | { kind: 'order'; contract: number; amount: number; full: boolean }
  | { kind: 'receipt'; order: number; channel: 'api' | 'statement' | 'both'; fresh: boolean }
  | { kind: 'badReceipt'; order: number; channel: 'api' | 'statement'; wrong: 'amount' | 'reference' }
  | { kind: 'clock'; hours: number }
  | { kind: 'expire' }
  | { kind: 'lesson'; school: number; pupils: number[] }
  | { kind: 'confirm' | 'dispute'; pick: number }
  | { kind: 'resolve'; pick: number; outcome: 'confirm' | 'void' }
  | { kind: 'refund'; contract: number }
  | { kind: 'answer'; pick: number; accept: boolean }
  | { kind: 'refundOrder'; contract: number; clawbackLessons: number }
  | { kind: 'settle' }
  | { kind: 'ack'; pick: number }
  | { kind: 'suspend' | 'reinstate'; school: number }
  | { kind: 'revoke'; school: number }
  | { kind: 'sweep' }
  | { kind: 'autoConfirm' };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('order' as const),
      contract: fc.nat(CONTRACTS - 1),
      amount: fc.integer({ min: 1, max: 60_000 }),
      full: fc.boolean(),
    }),
  },
  {
    weight: 14,
    arbitrary: fc.record({
      kind: fc.constant('receipt' as const),
      order: fc.nat(200),
      channel: fc.constantFrom('api' as const, 'statement' as const, 'both' as const),
      fresh: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('badReceipt' as const),
      order: fc.nat(200),
      channel: fc.constantFrom('api' as const, 'statement' as const),
      wrong: fc.constantFrom('amount' as const, 'reference' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), hours: fc.integer({ min: 1, max: 26 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const) }) },
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('lesson' as const),
      school: fc.nat(SCHOOLS - 1),
      pupils: fc.uniqueArray(fc.nat(CONTRACTS - 1), { minLength: 1, maxLength: 6 }),
    }),
  },
  { weight: 9, arbitrary: fc.record({ kind: fc.constantFrom('confirm' as const, 'dispute' as const), pick: fc.nat(50) }) },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('resolve' as const), pick: fc.nat(50), outcome: fc.constantFrom('confirm' as const, 'void' as const) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('refund' as const), contract: fc.nat(CONTRACTS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('answer' as const), pick: fc.nat(10), accept: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('refundOrder' as const), contract: fc.nat(CONTRACTS - 1), clawbackLessons: fc.nat(6) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('settle' as const) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('ack' as const), pick: fc.nat(20) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('suspend' as const, 'reinstate' as const), school: fc.nat(SCHOOLS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('autoConfirm' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('sweep' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), school: fc.nat(SCHOOLS - 1) }) },
);

describe('ledger properties under concurrency', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let dataSource: DataSource;
  let operations = 0;
  let refusedClawbacks = 0;

  beforeAll(async () => {
    // PROPERTY_LOG=error shows the API's log of a 5xx (the platform is silent otherwise).
    platform = await startPlatform({ LOG_LEVEL: process.env.PROPERTY_LOG ?? 'silent' });
    world = await new TuitionWorld(platform).init();
    dataSource = platform.api.get(DataSource);
  });
  afterAll(() => platform?.close());

  /** Everything a refused claw-back must leave as it was. */
  const moneyState = async (contractId: string) => ({
    ledger: await dataSource.query(`SELECT count(*)::int AS transfers, coalesce(sum(amount), 0)::bigint AS fen FROM ledger_transfers`),
    instructions: await dataSource.query(`SELECT count(*)::int AS n FROM payout_instructions`),
    requests: await dataSource.query(`SELECT count(*)::int AS n FROM refund_requests`),
    tranches: await dataSource.query(`SELECT id, clawed_back_fen FROM reserve_tranches ORDER BY id`),
    contract: await dataSource.query(`SELECT status, paid_fen FROM contracts WHERE id = $1`, [contractId]),
  });

  it(
    `keeps every invariant after random concurrent sequences with replays (${RUNS} runs of ≥ ${COMMANDS_PER_RUN} operations)`,
    async () => {
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(
          fc.array(command, { minLength: COMMANDS_PER_RUN, maxLength: COMMANDS_PER_RUN + 20 }),
          fc.array(fc.nat(COMMANDS_PER_RUN - 1), { maxLength: COMMANDS_PER_RUN / 10 }),
          async (commands, replays) => {
            const schools: School[] = [];
            for (let i = 0; i < SCHOOLS; i++) schools.push(await world.school(5_000 + i * 1_000));
            const parents: string[] = [];
            for (let i = 0; i < 4; i++) parents.push(await world.parent());
            const contracts: Array<{ id: string; parent: string; school: School }> = [];
            for (let i = 0; i < CONTRACTS; i++) {
              const school = schools[i % SCHOOLS];
              const parent = parents[i % 4];
              const created = await platform
                .http()
                .post('/api/v1/contracts')
                .set(as(parent))
                .send({ courseId: school.courseId, studentName: `学生${i}`, lessons: 12, ...contractWindow(platform.clock) })
                .expect(201);
              contracts.push({ id: created.body.id, parent, school });
            }
            // A quiet school no random command touches: three lessons paid, given and confirmed, for the
            // claw-back larger than payable + reserve at the end of the run.
            const quiet = await world.school(10_000);
            const quietParent = await world.parent();
            const quietContract = await world.paidContract(quietParent, quiet, 3);
            for (let day = 1; day <= 3; day++) {
              const [consumption] = (await world.recordLesson(quiet, [quietContract], lessonAt(platform.clock, day)).expect(201)).body.consumptions;
              await platform.http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(quietParent)).set(key()).send({}).expect(200);
            }
            const contractIds = contracts.map((contract) => contract.id);

            /** Orders as the parents saw them, in the order they were opened; receipts pick among them. */
            const orders: Array<{ reference: string; amountFen: number; bankRef: string; receivedAt?: string }> = [];
            const failures: Array<{ step: Command; status: number; body: unknown }> = [];
            const send = async (step: Command, request: () => Promise<{ status: number; body?: unknown }>) => {
              const response = await request();
              if (response.status >= 500) failures.push({ step, status: response.status, body: response.body });
              return response;
            };
            const consumptionsOf = (status: string) =>
              dataSource.query(
                `SELECT s.id, c.parent_user_id AS parent FROM consumptions s JOIN contracts c ON c.id = s.contract_id WHERE s.status = $1 AND c.id = ANY($2::uuid[]) ORDER BY s.id`,
                [status, contractIds],
              ) as Promise<Array<{ id: string }>>;
            const parentOfConsumption = async (consumptionId: string) => {
              const [row] = await dataSource.query(`SELECT contract_id AS "contractId" FROM consumptions WHERE id = $1`, [consumptionId]);
              return contracts.find((contract) => contract.id === row.contractId)!.parent;
            };
            const bank = () => platform.http();
            const apiReceipt = (
              step: Command,
              idempotencyKey: string,
              receipt: { reference: string; amountFen: number; bankRef: string; receivedAt: string },
            ) => send(step, () => bank().post('/api/v1/bank/receipts').set('X-Api-Key', world.bankKey).set('Idempotency-Key', idempotencyKey).send(receipt));
            const statementLine = (step: Command, idempotencyKey: string, line: { reference: string; amountFen: number }) =>
              send(step, () =>
                bank()
                  .post('/api/v1/bank/statement-lines')
                  .set('X-Api-Key', world.bankKey)
                  .set('Idempotency-Key', idempotencyKey)
                  .send({ lines: [{ date: platform.clock.today(), direction: 'in', ...line }] }),
              );

            const run = async (step: Command, idempotencyKey: string) => {
              const http = platform.http();
              switch (step.kind) {
                case 'order': {
                  const contract = contracts[step.contract];
                  const amountFen = step.full ? 12 * contract.school.lessonPriceFen : step.amount;
                  const response = await send(step, () =>
                    http
                      .post(`/api/v1/contracts/${contract.id}/payments`)
                      .set(as(contract.parent))
                      .set('Idempotency-Key', idempotencyKey)
                      .send({ amountFen, channel: 'bank_transfer' }),
                  );
                  const body = response.body as { reference?: string };
                  if (response.status === 201 && body.reference && !orders.some((order) => order.reference === body.reference)) {
                    orders.push({ reference: body.reference, amountFen, bankRef: `BK-${body.reference}` });
                  }
                  return;
                }
                case 'receipt': {
                  if (!orders.length) return;
                  const order = orders[step.order % orders.length];
                  // The bank's own reference and time stay the same on its retries; a fresh one is another transfer.
                  order.receivedAt ??= platform.clock.now().toISOString();
                  const receipt = step.fresh
                    ? { reference: order.reference, amountFen: order.amountFen, bankRef: `BK-${randomUUID()}`, receivedAt: platform.clock.now().toISOString() }
                    : { reference: order.reference, amountFen: order.amountFen, bankRef: order.bankRef, receivedAt: order.receivedAt };
                  const line = { reference: order.reference, amountFen: order.amountFen };
                  if (step.channel === 'api') return apiReceipt(step, idempotencyKey, receipt);
                  if (step.channel === 'statement') return statementLine(step, idempotencyKey, line);
                  await Promise.all([apiReceipt(step, idempotencyKey, receipt), statementLine(step, `${idempotencyKey}-line`, line)]);
                  return;
                }
                case 'badReceipt': {
                  const order = orders.length ? orders[step.order % orders.length] : { reference: 'PONOORDERYET', amountFen: 1_000 };
                  const reference = step.wrong === 'reference' ? `PO${randomUUID().slice(0, 12).toUpperCase()}` : order.reference;
                  const amountFen = step.wrong === 'amount' ? order.amountFen + 1 : order.amountFen;
                  if (step.channel === 'statement') return statementLine(step, idempotencyKey, { reference, amountFen });
                  const refused = await apiReceipt(step, idempotencyKey, {
                    reference,
                    amountFen,
                    bankRef: `BK-${randomUUID()}`,
                    receivedAt: platform.clock.now().toISOString(),
                  });
                  if (refused.status !== 422) failures.push({ step, status: refused.status, body: refused.body });
                  return;
                }
                case 'clock':
                  platform.clock.advance(step.hours * HOUR);
                  return;
                case 'expire':
                  await platform.api.get(PaymentOrdersService).expireDue();
                  return;
                case 'lesson': {
                  const school = schools[step.school];
                  const pupils = step.pupils.map((index) => contracts[index]).filter((contract) => contract.school === school);
                  if (!pupils.length) return;
                  return send(step, () =>
                    http
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
                  const parent = await parentOfConsumption(target.id);
                  return send(step, () =>
                    http.post(`/api/v1/consumptions/${target.id}/${step.kind}`).set(as(parent)).set('Idempotency-Key', idempotencyKey).send({}),
                  );
                }
                case 'resolve': {
                  const disputed = await consumptionsOf('disputed');
                  if (!disputed.length) return;
                  const target = disputed[step.pick % disputed.length];
                  return send(step, () =>
                    http
                      .post(`/api/v1/consumptions/${target.id}/resolve`)
                      .set(as(world.regulator))
                      .set('Idempotency-Key', idempotencyKey)
                      .send({ outcome: step.outcome, reason: '裁定' }),
                  );
                }
                case 'refund': {
                  const contract = contracts[step.contract];
                  return send(step, () =>
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
                    [contractIds],
                  );
                  if (!open.length) return;
                  const target = open[step.pick % open.length];
                  return send(step, () =>
                    http
                      .post(`/api/v1/refund-requests/${target.id}/${step.accept ? 'accept' : 'reject'}`)
                      .set(as(world.owner))
                      .set('Idempotency-Key', idempotencyKey)
                      .send({ reason: '答复' }),
                  );
                }
                case 'refundOrder': {
                  const contract = contracts[step.contract];
                  return send(step, () =>
                    http
                      .post(`/api/v1/contracts/${contract.id}/refund-orders`)
                      .set(as(world.regulator))
                      .set('Idempotency-Key', idempotencyKey)
                      .send({ reason: '责令退费', ...(step.clawbackLessons ? { clawbackLessons: step.clawbackLessons } : {}) }),
                  );
                }
                case 'settle':
                  return send(step, () => http.post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }));
                case 'ack': {
                  // Any instruction, held and cancelled ones too: the bank may try them (refused with 409).
                  const instructions: Array<{ id: string }> = await dataSource.query(
                    `SELECT p.id FROM payout_instructions p WHERE p.institution_id = ANY($1::uuid[]) AND p.status <> 'executed' ORDER BY p.id`,
                    [schools.map((school) => school.institutionId)],
                  );
                  if (!instructions.length) return;
                  const target = instructions[step.pick % instructions.length];
                  return send(step, () =>
                    bank()
                      .post(`/api/v1/bank/payout-instructions/${target.id}/ack`)
                      .set('X-Api-Key', world.bankKey)
                      .set('Idempotency-Key', idempotencyKey)
                      .send({ bankRef: `OUT-${target.id}`, executedAt: platform.clock.now().toISOString() }),
                  );
                }
                case 'suspend':
                case 'reinstate': {
                  const school = schools[step.school];
                  return send(step, () =>
                    http.post(`/api/v1/institutions/${school.institutionId}/${step.kind}`).set(as(world.regulator)).send({ reason: '风险' }),
                  );
                }
                case 'autoConfirm':
                  await dataSource.query(
                    `UPDATE consumptions SET auto_confirm_at = $1 WHERE status = 'pending' AND id IN (SELECT id FROM consumptions WHERE status = 'pending' ORDER BY random() LIMIT 3)`,
                    [platform.clock.now()],
                  );
                  await platform.api.get(LessonsService).autoConfirmDue();
                  return;
                case 'sweep':
                  await platform.api.get(RefundsService).sweepEndedLicences();
                  return;
                case 'revoke': {
                  const school = schools[step.school];
                  await send(step, () => http.post(`/api/v1/institutions/${school.institutionId}/suspend`).set(as(world.regulator)).send({ reason: '风险' }));
                  await send(step, () => http.post(`/api/v1/institutions/${school.institutionId}/revoke`).set(as(world.regulator)).send({ reason: '吊销' }));
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
                for (const { step, key: idempotencyKey } of lane) await run(step, idempotencyKey);
              }),
            );
            operations += plan.length;

            // Quiesced: settle (the quiet school's payable goes to payout and reserve), then a claw-back of
            // all three confirmed lessons, more than payable + reserve, is refused and moves nothing.
            await platform.http().post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }).expect(200);
            const before = await moneyState(quietContract);
            const refused = await platform
              .http()
              .post(`/api/v1/contracts/${quietContract}/refund-orders`)
              .set(as(world.regulator))
              .set(key())
              .send({ reason: '三节课未上', clawbackLessons: 3 });
            expect(refused.status).toBe(422);
            expect(refused.body.code).toBe('REFUND.CLAWBACK_UNCOVERED');
            expect(refused.body.clawbackFen).toBeGreaterThan(refused.body.availableFen);
            expect(await moneyState(quietContract)).toEqual(before);
            refusedClawbacks += 1;

            expect(failures).toEqual([]);
            const check = await platform.http().get('/api/v1/ledger/check').set(as(world.regulator)).expect(200);
            expect(check.body.invariants.map((invariant: { invariant: string }) => invariant.invariant)).toContain('custody_backed_by_receipts');
            expect(check.body.invariants.filter((invariant: { ok: boolean }) => !invariant.ok)).toEqual([]);
          },
        ),
        { numRuns: RUNS, endOnFailure: true, ...(process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED) } : {}) },
      );
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      const [{ received, returned }] = await dataSource.query(
        `SELECT count(*) FILTER (WHERE status = 'confirmed')::int AS received, count(*) FILTER (WHERE status = 'refunded')::int AS returned FROM payments`,
      );
      process.stderr.write(
        `ledger properties: ${RUNS} runs, ${operations} operations, ${seconds} s, ${received} orders received and ${returned} returned, ${refusedClawbacks} oversized claw-backs refused; every invariant held\n`,
      );
      expect(operations).toBeGreaterThanOrEqual(RUNS * COMMANDS_PER_RUN);
    },
    (LONG ? 4 * 3600 : 600) * 1000,
  );
});
