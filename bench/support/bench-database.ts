import { randomBytes } from 'node:crypto';
import { Environment, validateEnvironment } from '@app/core';
import { Client } from 'pg';

/** The benchmarks' way to a PostgreSQL server: URLs of its databases, and one statement on the server. */
export function benchDatabase(serverUrl: string) {
  return {
    databaseUrl(name: string): string {
      const url = new URL(serverUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async onServer(sql: string): Promise<void> {
      const client = new Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
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
