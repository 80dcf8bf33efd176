import { randomBytes } from 'node:crypto';
import { Environment, databaseOptions, validateEnvironment } from '@app/core';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ALL_MIGRATIONS } from '../../migrations';

/** Where the benchmarks find PostgreSQL and Redis (BENCH_DATABASE_SERVER_URL, BENCH_REDIS_URL). */
export const BENCH_SERVERS = {
  serverUrl: process.env.BENCH_DATABASE_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
};

/** The benchmarks' way to a PostgreSQL server: URLs of its databases, and one statement on the server. */
export function benchDatabase(serverUrl: string) {
  const databaseUrl = (name: string): string => {
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  const onServer = async (sql: string): Promise<void> => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    databaseUrl,
    onServer,
    /** Drops and creates database `name` and runs every migration on it, as the tests' global setup does. */
    async createMigrated(name: string): Promise<{ url: string; migrateSeconds: number }> {
      await onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await onServer(`CREATE DATABASE ${name}`);
      const url = databaseUrl(name);
      const started = performance.now();
      const migrator = new DataSource(databaseOptions(url, ALL_MIGRATIONS));
      await migrator.initialize();
      await migrator.runMigrations({ transaction: 'each' });
      await migrator.destroy();
      return { url, migrateSeconds: Math.round(performance.now() - started) / 1000 };
    },
    /** Deletes a benchmark's queue keys from Redis and, unless it is kept, its database. */
    async cleanUp(redisUrl: string, queuePrefix: string, database: string, keepDatabase: boolean): Promise<void> {
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      const keys = await redis.keys(`${queuePrefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      if (!keepDatabase) await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

/** The environment a benchmark boots the platform with: its own database and queue prefix, no logs, no schedulers. */
export function benchEnvironment(databaseUrl: string, redisUrl: string, queuePrefix: string): Environment {
  return validateEnvironment({
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    ENABLE_SCHEDULERS: 'false',
  });
}
