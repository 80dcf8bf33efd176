import { RUN_PREFIX, dropRunDatabases } from './test-database';

export default async function globalTeardown(): Promise<void> {
  if (process.env.PLATFORM_TEST_TORN_DOWN) return; // both tiers share one run
  process.env.PLATFORM_TEST_TORN_DOWN = '1';
  await dropRunDatabases({ run: RUN_PREFIX });
}
