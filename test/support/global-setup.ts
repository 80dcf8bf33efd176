import { DataSource } from 'typeorm';
import { databaseOptions } from '../../libs/core/src/database/database-options';
import { ALL_MIGRATIONS } from '../../migrations';
import { TEMPLATE_DATABASE, TEST_SERVER_URL, databaseUrl, withServer } from './test-database';

/**
 * Runs the migrations once per test run into a template database; each test file then copies it.
 * Refuses to touch a database whose name lacks `test`.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.PLATFORM_TEST_TEMPLATE_READY) return; // both tiers share one template
  if (!TEMPLATE_DATABASE.includes('test')) throw new Error('test databases must have "test" in their names');
  await withServer(async (client) => {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE 'platform\\_test\\_%'`);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  }).catch((error: Error) => {
    throw new Error(`Integration and e2e tests need PostgreSQL at ${TEST_SERVER_URL} (set TEST_DATABASE_SERVER_URL): ${error.message}`);
  });
  const dataSource = new DataSource(databaseOptions(databaseUrl(TEMPLATE_DATABASE), ALL_MIGRATIONS));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  process.env.PLATFORM_TEST_TEMPLATE_READY = '1';
}
