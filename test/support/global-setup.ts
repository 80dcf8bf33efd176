import { DataSource } from 'typeorm';
import { databaseOptions } from '../../libs/core/src/database/database-options';
import { ALL_MIGRATIONS } from '../../migrations';
import { RUN_PREFIX, TEMPLATE_DATABASE, TEST_SERVER_URL, databaseUrl, dropRunDatabases, withServer } from './test-database';

/**
 * Runs the migrations once per test run into a template database; each test file then copies it.
 * Every database it makes has `test` in its name; it sweeps only leftovers of runs over 3 hours old.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.PLATFORM_TEST_TEMPLATE_READY) return; // both tiers share one template
  if (!TEMPLATE_DATABASE.includes('test')) throw new Error('test databases must have "test" in their names');
  await dropRunDatabases({ olderThanSeconds: 3 * 3600 }).catch((error: Error) => {
    throw new Error(`Integration and e2e tests need PostgreSQL at ${TEST_SERVER_URL} (set TEST_DATABASE_SERVER_URL): ${error.message}`);
  });
  await withServer((client) => client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`));
  const dataSource = new DataSource(databaseOptions(databaseUrl(TEMPLATE_DATABASE), ALL_MIGRATIONS));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  process.env.PLATFORM_TEST_TEMPLATE_READY = RUN_PREFIX;
}
