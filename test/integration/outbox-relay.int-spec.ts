import { DataSource } from 'typeorm';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_REDIS_URL } from '../support/test-database';

describe('outbox relay', () => {
  let platform: TestPlatform;
  let proxy: TcpProxy;
  let dataSource: DataSource;

  const unsent = async () => (await dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`))[0].n;
  const welcomes = async () => (await dataSource.query(`SELECT count(*)::int AS n FROM notifications WHERE kind = 'welcome'`))[0].n;

  beforeAll(async () => {
    const redis = new URL(TEST_REDIS_URL);
    proxy = await TcpProxy.onFreePort({ host: redis.hostname, port: Number(redis.port || 6379) });
    // Redis is reachable only through the proxy, which starts cut.
    platform = await startPlatform({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
    dataSource = platform.api.get(DataSource);
  });
  afterAll(async () => {
    await proxy.up().catch(() => undefined);
    await platform?.close();
    await proxy.down();
  });

  it('keeps the API answering and every event while the queue backend is down, then drains them once it is back', async () => {
    await platform.startWorker();

    for (const phone of ['13700000001', '13700000002', '13700000003']) {
      await platform.http().post('/api/v1/auth/parents').send({ phone, password: 'parent-password', name: '家长' }).expect(201);
    }
    // The database decides readiness: with the queue backend down the API serves, degraded.
    const ready = await platform.http().get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({ status: 'degraded', degraded: ['queue'], details: { database: { status: 'up' }, queue: { status: 'down' } } });
    await platform.http().get('/health/live').expect(200);

    // The relay keeps trying while Redis is cut, and loses nothing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await unsent()).toBe(4); // the admin's account and three parents
    expect(await welcomes()).toBe(0);

    await proxy.up();
    await eventually(async () => {
      expect(await unsent()).toBe(0);
      expect(await welcomes()).toBe(4);
    }, 30_000);
    expect((await platform.http().get('/health/ready').expect(200)).body).toMatchObject({ status: 'ok', degraded: [] });
  });

  it('sends each event once even when two relays run side by side', async () => {
    await platform.startWorker();
    for (const phone of ['13700000011', '13700000012', '13700000013', '13700000014']) {
      await platform.http().post('/api/v1/auth/parents').send({ phone, password: 'parent-password', name: '家长' }).expect(201);
    }
    await eventually(async () => {
      expect(await unsent()).toBe(0);
      expect(await welcomes()).toBe(8);
    });
    const [{ duplicates }] = await dataSource.query(
      `SELECT count(*)::int AS duplicates FROM (SELECT source_id FROM notifications GROUP BY source_id, user_id HAVING count(*) > 1) d`,
    );
    expect(duplicates).toBe(0);
  });
});
