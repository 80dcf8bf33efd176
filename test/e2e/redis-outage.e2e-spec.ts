import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { freePort } from '../support/processes';
import { School, TuitionWorld, as } from '../support/tuition-world';

/** How long Redis stays down while the money workload runs. */
const OUTAGE_MS = 30_000;

/**
 * Redis (the queue backend) stopped for half a minute under traffic: a redis-server of this test's own,
 * on its own port, with its data on disk (append-only file) as a production Redis keeps it. Money keeps
 * moving, readiness says degraded, and when Redis is back every event waiting in the outbox is relayed
 * and every job it starts runs: nothing lost, counted before and after.
 */
describe('a Redis outage (e2e)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'platform-redis-outage-'));
  let port: number;
  let redis: ChildProcess | undefined;
  let platform: TestPlatform;
  let world: TuitionWorld;
  let school: School;
  let db: DataSource;
  const count = async (sql: string): Promise<number> => (await db.query(sql))[0].n;
  const welcomes = () => count(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'welcome'`);
  const unsent = () => count(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);

  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
    const probe = new IORedis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    await eventually(async () => {
      await probe.connect().catch(() => undefined);
      expect(await probe.ping()).toBe('PONG');
    }, 20_000);
    probe.disconnect();
  };
  const stopRedis = async () => {
    const running = redis;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM'); // Redis flushes its append-only file and exits
    await exited;
    redis = undefined;
  };

  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    platform = await startPlatform({ REDIS_URL: `redis://127.0.0.1:${port}` });
    await platform.startWorker();
    db = platform.api.get(DataSource);
    world = await new TuitionWorld(platform).init();
    school = await world.school(10_000);
    await eventually(async () => expect(await unsent()).toBe(0));
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
    await stopRedis();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('keeps money moving while Redis is down, says degraded, and relays every event and runs every job once it is back', async () => {
    const welcomesBefore = await welcomes();
    await stopRedis();
    const ready = await platform.http().get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'degraded', degraded: ['queue'] });

    const paid: string[] = [];
    let parents = 0;
    const until = Date.now() + OUTAGE_MS;
    while (Date.now() < until) {
      const parent = await world.parent();
      parents += 1;
      paid.push(await world.paidContract(parent, school, 2, `学生${parents}`));
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(parents).toBeGreaterThan(5);
    expect(await unsent()).toBeGreaterThanOrEqual(parents); // every account.created at least, waiting in the outbox
    expect(await welcomes()).toBe(welcomesBefore);

    await startRedis();
    await eventually(
      async () => {
        expect(await unsent()).toBe(0);
        expect(await welcomes()).toBe(welcomesBefore + parents);
      },
      60_000,
      500,
    );
    expect((await platform.http().get('/health/ready').expect(200)).body).toMatchObject({ status: 'ok', degraded: [] });
    for (const contractId of paid) {
      const detail = await platform.http().get(`/api/v1/contracts/${contractId}`).set(as(world.regulator)).expect(200);
      expect(detail.body).toMatchObject({ status: 'active', paidFen: 20_000 });
    }
    const check = await platform.http().get('/api/v1/ledger/check').set(as(world.admin)).expect(200);
    expect(check.body.invariants.filter((invariant: { ok: boolean }) => !invariant.ok)).toEqual([]);
  });
});
