import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The server the integration and e2e tests use; every database they make has `test` in its name. */
export const TEST_SERVER_URL = process.env.TEST_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * One test run's databases share a prefix with the run's start time (platform_test_<epoch>_…), so
 * concurrent runs never touch each other's, and a run can sweep the leftovers of old crashed ones.
 */
export const RUN_PREFIX = (process.env.PLATFORM_TEST_RUN_PREFIX ??= `platform_test_${Math.floor(Date.now() / 1000)}_${randomBytes(2).toString('hex')}`);
export const TEMPLATE_DATABASE = `${RUN_PREFIX}_template`;

export function databaseUrl(name: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withServer<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database for one test file, copied from the migrated template (fast: no migrations to run). */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `${RUN_PREFIX}_${randomBytes(5).toString('hex')}`;
  await withServer((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => withServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Drops this run's databases, or with `olderThanSeconds` those of runs that started that long ago. */
export async function dropRunDatabases(filter: { run: string } | { olderThanSeconds: number }): Promise<void> {
  await withServer(async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'platform\\_test\\_%'`);
    const now = Math.floor(Date.now() / 1000);
    for (const { datname } of rows) {
      const started = Number(datname.split('_')[2]);
      const doomed = 'run' in filter ? datname.startsWith(`${filter.run}_`) : Number.isFinite(started) ? now - started > filter.olderThanSeconds : true;
      if (doomed) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  });
}
