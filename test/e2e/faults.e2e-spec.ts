import { AddressInfo, connect } from 'node:net';
import { RefundsService } from '@app/tuition';
import { contractWindow } from '../support/dates';
import { eventually } from '../support/eventually';
import { ADMIN, TestPlatform, startPlatform } from '../support/platform';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_SERVER_URL } from '../support/test-database';
import { School, TuitionWorld, as, key } from '../support/tuition-world';

/** What the API answers when things go wrong at once: concurrent retries of a refused request. */
describe('faults (e2e)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let school: School;
  const http = () => platform.http();

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
    school = await world.school(10_000);
  });
  afterAll(() => platform?.close());

  it('answers refunds and the revocation sweep of the same contracts side by side without a deadlock: each refunded once', async () => {
    const refunds = platform.api.get(RefundsService);
    for (let round = 0; round < 3; round++) {
      const doomed = await world.school(10_000);
      const requests: Array<{ contractId: string; requestId: string }> = [];
      for (let i = 0; i < 6; i++) {
        const parent = await world.parent();
        const contractId = await world.paidContract(parent, doomed, 3, `学生${round}${i}`);
        const request = await http().post(`/api/v1/contracts/${contractId}/refund-requests`).set(as(parent)).set(key()).send({ reason: '搬家' }).expect(201);
        requests.push({ contractId, requestId: request.body.id });
      }
      await http().post(`/api/v1/institutions/${doomed.institutionId}/suspend`).set(as(world.regulator)).send({ reason: '跑路风险' }).expect(200);
      await http().post(`/api/v1/institutions/${doomed.institutionId}/revoke`).set(as(world.regulator)).send({ reason: '吊销' }).expect(200);
      const [sweep, ...answers] = await Promise.all([
        refunds.refundInstitution(doomed.institutionId),
        ...requests.map(({ requestId }) => http().post(`/api/v1/refund-requests/${requestId}/accept`).set(as(world.owner)).set(key()).send({})),
      ]);
      // Whoever comes second finds the request answered (409), never a 500 from a deadlock.
      for (const answer of answers) expect([200, 409]).toContain(answer.status);
      expect(sweep.failed).toBe(0);
      for (const { contractId } of requests) {
        const detail = await http().get(`/api/v1/contracts/${contractId}`).set(as(world.regulator)).expect(200);
        expect(detail.body).toMatchObject({ status: 'refunded', refundedFen: 30_000, escrowFen: 0 });
      }
    }
    const check = await http().get('/api/v1/ledger/check').set(as(world.admin)).expect(200);
    expect(check.body.invariants.filter((invariant: { ok: boolean }) => !invariant.ok)).toEqual([]);
  }, 180_000); // 18 parents, contracts and payments in three rounds: ~13 s alone, several times that on a busy CI machine

  it('answers concurrent retries of a refused request with its refusal, never a 500 (a released key is claimed again)', async () => {
    const parent = await world.parent();
    const created = await http()
      .post('/api/v1/contracts')
      .set(as(parent))
      .send({ courseId: school.courseId, studentName: '王小明', lessons: 2, ...contractWindow(platform.clock) })
      .expect(201);
    // More than the contract's total: refused (422), so each attempt rolls its claim back and the next waiter takes over.
    for (let round = 0; round < 5; round++) {
      const pay = () =>
        http()
          .post(`/api/v1/contracts/${created.body.id}/payments`)
          .set(as(parent))
          .set('Idempotency-Key', `refused-together-${round}`)
          .send({ amountFen: 9_999_999, channel: 'alipay' });
      const answers = await Promise.all([pay(), pay(), pay(), pay()]);
      expect(answers.map((answer) => answer.status)).toEqual([422, 422, 422, 422]);
    }
  });
});

describe('a database outage (e2e)', () => {
  let platform: TestPlatform;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const server = new URL(TEST_SERVER_URL);
    proxy = await TcpProxy.onFreePort({ host: server.hostname, port: Number(server.port || 5432) });
    await proxy.up();
    platform = await startPlatform({}, { databaseUrl: (url) => Object.assign(new URL(url), { port: String(proxy.port) }).toString() });
  });
  afterAll(async () => {
    await proxy.up();
    await platform?.close();
    await proxy.down();
  });

  it('answers 503 SERVICE.UNAVAILABLE with Retry-After, not 500, while the database is unreachable; then serves again', async () => {
    const login = () => platform.http().post('/api/v1/auth/login').send({ username: ADMIN.username, password: ADMIN.password });
    await login().expect(200);
    await proxy.down();
    const refused = await login();
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ status: 503, code: 'SERVICE.UNAVAILABLE' });
    const ready = await platform.http().get('/health/ready').expect(503);
    expect(ready.body.details.database).toMatchObject({ status: 'down' });
    await platform.http().get('/health/live').expect(200);
    await proxy.up();
    await eventually(() => login().expect(200), 20_000);
    await platform.http().get('/health/ready').expect(200);
  });
});

describe('shutdown (e2e)', () => {
  it('drains a keep-alive connection whose request was in flight when closing began, well before keep-alive runs out', async () => {
    const platform = await startPlatform();
    try {
      await platform.api.listen(0, '127.0.0.1');
      const port = (platform.api.getHttpServer().address() as AddressInfo).port;
      const socket = connect(port, '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => (received += chunk));
      const socketClosed = new Promise((resolve) => socket.once('close', resolve));
      await new Promise((resolve) => socket.once('connect', resolve));
      // A request in flight: its headers are in, its body not yet.
      const body = JSON.stringify({ username: ADMIN.username, password: ADMIN.password });
      socket.write(
        `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const started = Date.now();
      const closed = platform.api.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
      socket.write(body);
      await closed;
      await socketClosed;
      expect(received).toMatch(/^HTTP\/1\.1 200/);
      expect(received.toLowerCase()).toContain('connection: close');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await platform.close().catch(() => undefined);
    }
  });
});
