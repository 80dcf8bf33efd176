import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { eventually } from '../support/eventually';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * What a new user gets from `npm start`: no DATABASE_URL, no REDIS_URL, an empty data folder. The
 * built platform starts its own PostgreSQL, runs BullMQ on it, and a job goes through the queue.
 */
describe('the embedded default (e2e)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'platform-embedded-test-'));
  let platform: ChildProcess;
  let output = '';
  let base: string;

  beforeAll(async () => {
    const port = (await TcpProxy.onFreePort({ host: '127.0.0.1', port: 0 })).port;
    base = `http://127.0.0.1:${port}`;
    const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
    platform = spawn(process.execPath, [join(__dirname, '../../dist/scripts/start-platform.js')], {
      env: { ...inherited, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      const onOutput = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('The supervision platform is running')) resolve();
      };
      platform.stdout!.on('data', onOutput);
      platform.stderr!.on('data', onOutput);
      platform.once('exit', (code) => reject(new Error(`the platform exited with ${code}: ${output}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (platform && platform.exitCode === null) {
      const exited = new Promise((resolve) => platform.once('exit', resolve));
      platform.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('is ready, with the database and the PostgreSQL queue backend up', async () => {
    const ready = await request(base).get('/health/ready').expect(200);
    expect(ready.body.details).toMatchObject({ database: { status: 'up' }, queue: { status: 'up', backend: 'postgres' } });
    expect(output).toContain('on the embedded PostgreSQL with queues in PostgreSQL');
  });

  it('carries a job through the queue: the demo parent gets the welcome made by the worker', async () => {
    const login = await request(base).post('/api/v1/auth/login').send({ username: '13800138000', password: 'demo-pass-1' }).expect(200);
    await eventually(async () => {
      const notifications = await request(base).get('/api/v1/notifications?pageSize=100').auth(login.body.accessToken, { type: 'bearer' }).expect(200);
      expect(notifications.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'welcome' })]));
    }, 30_000);
  });

  it('has a demo register in every state for parents to search', async () => {
    const found = await request(base).get('/api/v1/public/institutions?q=东方').expect(200);
    expect(found.body.items).toEqual([expect.objectContaining({ name: '新东方培训学校岳麓校区', list: 'white' })]);
    const yuelu = await request(base).get('/api/v1/public/institutions?districtCode=430104&pageSize=100').expect(200);
    expect(new Set(yuelu.body.items.map((item: { list: string }) => item.list))).toEqual(new Set(['white', 'grey', 'black']));
  });

  it('stops cleanly on SIGTERM, taking its PostgreSQL down with it', async () => {
    const exited = new Promise<number | null>((resolve) => platform.once('exit', resolve));
    platform.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
