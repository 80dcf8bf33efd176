import { randomBytes, randomUUID } from 'node:crypto';
import { Clock, validateEnvironment } from '@app/core';
import createClient from 'openapi-fetch';
import { Client } from 'pg';
import request from 'supertest';
import type { paths } from '../../clients/typescript/openapi';
import { credentialHeaders } from '../support/api-client';
import { contractWindow, lessonAt } from '../support/dates';
import { eventually } from '../support/eventually';
import { ADMIN, TestPlatform, loginAs } from '../support/platform';
import { PlatformProcess, freePort, startBuilt } from '../support/processes';
import { TEST_REDIS_URL, createTestDatabase } from '../support/test-database';
import { School, TuitionWorld, as } from '../support/tuition-world';

/** How long the money workload runs across the replicas. */
const WORKLOAD_MS = 25_000;

/**
 * Several replicas, as production runs them: two API processes and two workers (the built dist, real
 * child processes) on one database and the shared Redis under this test's own QUEUE_PREFIX. Money moves
 * through both APIs at once, replays of one Idempotency-Key hit both together, a worker is SIGKILLed
 * midway, and afterwards every ledger invariant holds and every effect happened once.
 */
describe('several replicas (e2e, built processes)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const processes: PlatformProcess[] = [];
  let bases: string[] = [];
  let clock: Clock;
  let world: TuitionWorld;
  let school: School;
  const http = (replica: number) => request(bases[replica % bases.length]);

  /** A test platform whose requests go to one API process over TCP, for TuitionWorld and loginAs. */
  const platformOf = (base: string) =>
    ({
      http: () => request(base),
      client: (credential: Parameters<TestPlatform['client']>[0]) => createClient<paths>({ baseUrl: base, headers: credentialHeaders(credential) }),
      clock,
    }) as unknown as TestPlatform;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `replicas-${randomBytes(4).toString('hex')}`,
      JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: 'warn',
      PUBLIC_REQUESTS_PER_MINUTE: '100000',
      // Every parent of the workload registers and logs in from this one client address.
      AUTH_REQUESTS_PER_CLIENT_PER_MINUTE: '100000',
      ...(process.env.TEST_TODAY ? { TEST_TODAY: process.env.TEST_TODAY } : {}),
    };
    clock = new Clock(validateEnvironment({ ...env }));
    const ports = [await freePort(), await freePort()];
    bases = ports.map((port) => `http://127.0.0.1:${port}`);
    ports.forEach((port, i) => processes.push(startBuilt(`api-${i + 1}`, 'api', { ...env, PORT: String(port) })));
    for (const i of [1, 2]) processes.push(startBuilt(`worker-${i}`, 'worker', { ...env, ENABLE_SCHEDULERS: 'true' }));
    for (const base of bases) {
      await eventually(() => request(base).get('/health/ready').expect(200), 90_000, 250).catch((error: Error) => {
        throw new Error(`${error.message}\n${processes.map((p) => `--- ${p.name}\n${p.output()}`).join('\n')}`);
      });
    }
    world = await new TuitionWorld(platformOf(bases[0])).init();
    school = await world.school(10_000);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await database?.drop();
  }, 60_000);

  /** The same request with the same Idempotency-Key to both APIs at once: both answer alike. */
  const onBoth = async (send: (replica: number) => request.Test) => {
    const answers = await Promise.all([send(0), send(1)]);
    expect(answers[0].status).toBe(answers[1].status);
    expect(answers[0].body).toEqual(answers[1].body);
    return answers[0];
  };

  it('moves money through both APIs with replays on both at once and a worker killed midway: every effect once, every invariant holds', async () => {
    const journeys: Array<{ contractId: string; parent: string; totalFen: number }> = [];
    const deadline = Date.now() + WORKLOAD_MS;
    let killed = false;
    let round = 0;
    while (Date.now() < deadline) {
      if (!killed && Date.now() > deadline - WORKLOAD_MS / 2) {
        processes.find((process) => process.name === 'worker-1')!.child.kill('SIGKILL');
        killed = true;
      }
      await Promise.all(
        [0, 1, 2].map(async (lane) => {
          const replica = round + lane;
          const parent = await loginAs(platformOf(bases[replica % 2]), ...(await newParent(replica)));
          const lessons = 3;
          const contract = await http(replica)
            .post('/api/v1/contracts')
            .set(as(parent))
            .send({ courseId: school.courseId, studentName: `学生${round}-${lane}`, lessons, ...contractWindow(clock) })
            .expect(201);
          const totalFen = lessons * school.lessonPriceFen;
          const orderKey = `order-${randomUUID()}`;
          const order = await onBoth((r) =>
            http(r)
              .post(`/api/v1/contracts/${contract.body.id}/payments`)
              .set(as(parent))
              .set('Idempotency-Key', orderKey)
              .send({ amountFen: totalFen, channel: 'bank_transfer' }),
          );
          expect(order.status).toBe(201);
          const receiptKey = `receipt-${randomUUID()}`;
          const receipt = { reference: order.body.reference, amountFen: totalFen, bankRef: `BK-${randomUUID()}`, receivedAt: clock.now().toISOString() };
          const confirmed = await onBoth((r) =>
            http(r).post('/api/v1/bank/receipts').set('X-Api-Key', world.bankKey).set('Idempotency-Key', receiptKey).send(receipt),
          );
          expect(confirmed.body).toMatchObject({ status: 'confirmed' });
          const lesson = await http(replica + 1)
            .post('/api/v1/lessons')
            .set(as(world.owner))
            .set('Idempotency-Key', `lesson-${randomUUID()}`)
            .send({
              courseId: school.courseId,
              startsAt: lessonAt(clock, 1, `1${lane}:${String(round % 60).padStart(2, '0')}`),
              minutes: 45,
              contractIds: [contract.body.id],
            })
            .expect(201);
          const confirmKey = `confirm-${randomUUID()}`;
          const confirmation = await onBoth((r) =>
            http(r).post(`/api/v1/consumptions/${lesson.body.consumptions[0].id}/confirm`).set(as(parent)).set('Idempotency-Key', confirmKey).send({}),
          );
          expect(confirmation.status).toBe(200);
          journeys.push({ contractId: contract.body.id, parent, totalFen });
        }),
      );
      round += 1;
    }
    expect(killed).toBe(true);
    expect(journeys.length).toBeGreaterThan(6);

    // Settlement asked of both APIs at once: paid once.
    const runs = await Promise.all([0, 1].map((r) => http(r).post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' })));
    expect(runs.map((run) => run.status)).toEqual([200, 200]);
    const payouts = await http(0).get(`/api/v1/payout-instructions?institutionId=${school.institutionId}`).set(as(world.regulator)).expect(200);
    expect(payouts.body.items.filter((item: { kind: string }) => item.kind === 'institution_payout')).toHaveLength(1);

    // Every payment once: one confirmed order per contract, paid in full, one lesson's price consumed.
    for (const [i, journey] of journeys.entries()) {
      const detail = await http(i).get(`/api/v1/contracts/${journey.contractId}`).set(as(journey.parent)).expect(200);
      expect(detail.body.payments).toEqual([expect.objectContaining({ status: 'confirmed', amountFen: journey.totalFen })]);
      expect(detail.body).toMatchObject({ status: 'active', paidFen: journey.totalFen });
    }
    const check = await http(1).get('/api/v1/ledger/check').set(as(world.admin)).expect(200);
    expect(check.body.invariants.filter((invariant: { ok: boolean }) => !invariant.ok)).toEqual([]);

    // The surviving worker relays everything, the killed one's share included.
    await eventually(async () => expect(await unsentEvents()).toBe(0), 30_000);
  });

  it('shows a change of the public register made through one API in the other’s answers', async () => {
    const detail = () => http(1).get(`/api/v1/public/institutions/${school.institutionId}`).expect(200);
    expect((await detail()).body.list).toBe('white'); // now cached by the second API
    await http(0).post(`/api/v1/institutions/${school.institutionId}/freeze`).set(as(world.regulator)).send({ reason: '核查' }).expect(200);
    await eventually(async () => expect((await detail()).body.list).toBe('grey'), 10_000, 50);
  });

  async function unsentEvents(): Promise<number> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`)).rows[0].n;
    } finally {
      await client.end();
    }
  }

  let parents = 0;
  async function newParent(replica: number): Promise<[string, string]> {
    const phone = `1360000${String(++parents).padStart(4, '0')}`;
    await http(replica).post('/api/v1/auth/parents').send({ phone, password: 'password-1', name: '家长' }).expect(201);
    return [phone, 'password-1'];
  }
});
