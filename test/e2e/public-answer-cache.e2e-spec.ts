import { Client } from 'pg';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld } from '../support/tuition-world';

/**
 * The public register answers from memory, and forgets as soon as the database says a table behind an
 * answer changed, whoever changed it. Changes here are made on a connection of the test's own, as the
 * worker or another API process would make them, so this API process can only learn of them by notification.
 */
describe('public answers kept in memory (e2e)', () => {
  let platform: TestPlatform;
  let school: School;
  let outsider: Client;
  const detail = () => platform.http().get(`/api/v1/public/institutions/${school.institutionId}`).expect(200);
  const search = (q: string) =>
    platform
      .http()
      .get(`/api/v1/public/institutions?q=${encodeURIComponent(q)}`)
      .expect(200);

  beforeAll(async () => {
    platform = await startPlatform();
    school = await new TuitionWorld(platform).init().then((world) => world.school());
    outsider = new Client({ connectionString: platform.databaseUrl });
    await outsider.connect();
  });
  afterAll(async () => {
    await outsider?.end();
    await platform?.close();
  });

  it('answers again from memory with the same body and ETag, and 304 to a client that has it', async () => {
    const first = await detail();
    const second = await detail();
    expect(second.text).toBe(first.text);
    expect(second.headers['content-type']).toMatch(/^application\/json/);
    expect(second.headers.etag).toBe(first.headers.etag);
    await platform.http().get(`/api/v1/public/institutions/${school.institutionId}`).set('If-None-Match', first.headers.etag).expect(304);

    // A change that bypasses the triggers (replica mode: no notification) is not seen: the answer came from memory.
    await outsider.query(`SET session_replication_role = replica`);
    await outsider.query(`UPDATE institutions SET address = '无人通知的新地址' WHERE id = $1`, [school.institutionId]);
    await outsider.query(`SET session_replication_role = DEFAULT`);
    expect((await detail()).text).toBe(first.text);
  });

  it('shows a change made by another process once the database has told this one', async () => {
    const before = (await search('晨曦改名')).body;
    expect(before.total).toBe(0);
    expect((await detail()).body.list).toBe('white');
    await outsider.query(`UPDATE institutions SET name = '晨曦改名艺术中心', status = 'suspended' WHERE id = $1`, [school.institutionId]);
    await eventually(async () => expect((await detail()).body).toMatchObject({ name: '晨曦改名艺术中心', list: 'grey' }), 5_000, 20);
    await eventually(
      async () => expect((await search('晨曦改名')).body.items).toEqual([expect.objectContaining({ id: school.institutionId, list: 'grey' })]),
      5_000,
      20,
    );
  });

  it('misses no change when its listening connection drops, and listens again', async () => {
    await detail();
    const listeners = await outsider.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN public_register'`,
    );
    expect(listeners.rowCount).toBe(1);
    // Nobody hears this change's notification: the cache must have forgotten its answers when it lost the connection.
    await outsider.query(`UPDATE institutions SET address = '长沙市岳麓区新地址 1 号' WHERE id = $1`, [school.institutionId]);
    await eventually(async () => expect((await detail()).body.address).toBe('长沙市岳麓区新地址 1 号'), 5_000, 20);
    await eventually(
      async () => {
        const [{ n }] = (
          await outsider.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN public_register'`)
        ).rows;
        expect(n).toBe(1);
      },
      5_000,
      50,
    );
    await outsider.query(`UPDATE institutions SET address = '长沙市岳麓区又一新地址 2 号' WHERE id = $1`, [school.institutionId]);
    await eventually(async () => expect((await detail()).body.address).toBe('长沙市岳麓区又一新地址 2 号'), 5_000, 20);
  });

  it('keeps its answers through updates that change nothing a public answer shows', async () => {
    const id = school.institutionId;
    await outsider.query(`UPDATE institutions SET address = '岳麓区甲地址' WHERE id = $1`, [id]);
    await eventually(async () => expect((await detail()).body.address).toBe('岳麓区甲地址'), 5_000, 20);
    // Unheard (replica mode fires no trigger): the answer in memory keeps the old address from here on...
    await outsider.query(`SET session_replication_role = replica`);
    await outsider.query(`UPDATE institutions SET address = '岳麓区乙地址' WHERE id = $1`, [id]);
    await outsider.query(`SET session_replication_role = DEFAULT`);
    // ...through what a risk evaluation writes after every event when the level stays the same...
    await outsider.query(`UPDATE institutions SET risk_evaluated_at = $2, updated_at = $2 WHERE id = $1`, [id, platform.clock.now()]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await detail()).body.address).toBe('岳麓区甲地址');
    // ...until a column the public sees changes.
    await outsider.query(`UPDATE institutions SET risk_level = 'yellow' WHERE id = $1`, [id]);
    await eventually(async () => expect((await detail()).body).toMatchObject({ address: '岳麓区乙地址', riskLevel: 'yellow' }), 5_000, 20);
  });
});
