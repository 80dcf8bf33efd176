import { randomBytes } from 'node:crypto';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Clock, Environment, testProcessSettings, validateEnvironment } from '@app/core';
import request from 'supertest';
import { createApi } from '../../apps/api/src/create-api';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { ApiClient, ApiCredential, createApiClient, expectStatus } from './api-client';
import { TEST_REDIS_URL, createTestDatabase } from './test-database';

export const ADMIN = { username: 'admin', password: 'admin-password-1' };

export interface TestPlatform {
  api: NestFastifyApplication;
  http: () => ReturnType<typeof request>;
  /** A typed client of the API (test/support/api-client.ts), as `credential` (a bearer token, `{ apiKey }`) or anonymous. */
  client(credential?: ApiCredential): ApiClient;
  environment: Environment;
  /** The API's clock: fixtures take their dates from it, and a test moves it to age the data. */
  clock: Clock;
  databaseUrl: string;
  startWorker(overrides?: Record<string, string>): Promise<INestApplicationContext>;
  close(): Promise<void>;
}

/** The environment a test platform runs with: its own database, its own Redis key prefix, quiet logs. */
export function testEnvironment(databaseUrl: string, overrides: Record<string, string> = {}): Environment {
  return validateEnvironment({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    ADMIN_USERNAME: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'silent',
    ENABLE_SCHEDULERS: 'false',
    // Every test logs in and signs up from 127.0.0.1; the per-address auth limit is tested on its own.
    AUTH_REQUESTS_PER_CLIENT_PER_MINUTE: '100000',
    ...testProcessSettings(),
    ...overrides,
  });
}

/** Boots the real API (and, on demand, the worker) on a fresh copy of the migrated database. */
export async function startPlatform(overrides: Record<string, string> = {}, options: { databaseUrl?: (url: string) => string } = {}): Promise<TestPlatform> {
  const database = await createTestDatabase();
  // `databaseUrl` lets a test reach the database another way (through a proxy it can cut).
  const environment = testEnvironment(options.databaseUrl?.(database.url) ?? database.url, overrides);
  const api = await createApi(environment, { logger: false });
  await api.init();
  // Fastify adds its routes and plugins when it is ready (listen() waits for it; supertest does not).
  await api.getHttpAdapter().getInstance().ready();
  const workers: INestApplicationContext[] = [];
  return {
    api,
    environment,
    clock: api.get(Clock),
    databaseUrl: database.url,
    http: () => request(api.getHttpServer()),
    client: (credential) => createApiClient(api, credential),
    async startWorker(workerOverrides = {}) {
      const worker = await NestFactory.createApplicationContext(
        WorkerModule.forRoot(validateEnvironment({ ...environment, ...workerOverrides } as unknown as Record<string, unknown>)),
        { logger: false },
      );
      await worker.init();
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const worker of workers) await worker.close();
      await api.close();
      await database.drop();
    },
  };
}

export async function loginAs(platform: TestPlatform, username: string, password: string): Promise<string> {
  const session = expectStatus(await platform.client().POST('/api/v1/auth/login', { body: { username, password } }), 200);
  return session.accessToken;
}
