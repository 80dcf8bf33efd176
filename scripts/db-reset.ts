import { DataSource } from 'typeorm';
import { ConfigurationError, databaseOptions, loadEnvironment, resolveInfrastructure } from '@app/core';
import { ALL_MIGRATIONS } from '../migrations';

/** Drops every table (the platform's and BullMQ's) and runs the migrations again. Development only. */
async function main(): Promise<void> {
  const environment = loadEnvironment();
  if (environment.NODE_ENV === 'production') throw new ConfigurationError('db:reset refuses to run with NODE_ENV=production');
  const infrastructure = await resolveInfrastructure(environment);
  const dataSource = new DataSource(databaseOptions(infrastructure.databaseUrl, ALL_MIGRATIONS));
  await dataSource.initialize();
  await dataSource.query(`DROP SCHEMA IF EXISTS bullmq CASCADE`);
  await dataSource.query(`DROP SCHEMA public CASCADE`);
  await dataSource.query(`CREATE SCHEMA public`);
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  console.log(`database reset: ${applied.length} migrations applied`);
  await dataSource.destroy();
  await infrastructure.close();
}

main().catch((error) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
