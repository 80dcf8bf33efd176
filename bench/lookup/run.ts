import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import fastify from 'fastify';
import { DataSource } from 'typeorm';
import { databaseOptions, validateEnvironment } from '@app/core';
import { shanghaiDate } from '@app/core/calendar/shanghai-time';
import { REGISTERED_STATUSES } from '@app/registry';
import { createApi } from '../../apps/api/src/create-api';
import type { LoadJob, LoadResult } from '../support/load-generator';
import { LayerProfile, profileLayers } from './profile';
import type { SeedJob, SeedResult } from './seed';
import { BENCH_SERVERS, benchDatabase } from '../support/bench-database';
import { runBench } from '../support/run-bench';
import { ask, child } from '../support/children';

/**
 * bench/lookup: how fast the public register answers (`npm run bench:lookup`).
 *
 * Builds its own database (platform_bench_lookup) with 100,000 institutions, boots the real API
 * in-process (createApi, as main.ts does, logs silent, public rate limit out of the way), and two bare
 * handlers beside it, on Express and on Fastify, as the ceilings of this machine. autocannon runs in a
 * child process (its own event loop and core), 64 connections, a warm-up and then the measured run,
 * against: the bare handlers, the API's /health/live (the framework without the database), the public
 * search with 20 rotating queries, and the public detail of random institutions. The aims are against
 * bare Fastify: search ≥ 0.5× its req/s and p99 ≤ 2× its p99.
 * Prints one JSON document on stdout (progress goes to stderr) and keeps a copy in bench/results/.
 *
 * Settings (environment): BENCH_DATABASE_SERVER_URL, BENCH_REDIS_URL, BENCH_ROWS (100000),
 * BENCH_CONNECTIONS (64), BENCH_DURATION (10 s), BENCH_WARMUP (3 s), BENCH_KEEP_DATABASE=1 to keep the
 * database for EXPLAIN afterwards, BENCH_REUSE_DATABASE=1 to measure again on a kept one (no load),
 * BENCH_TARGETS (bareExpress,bareFastify,apiLive,search,detail) to measure only some of them,
 * BENCH_PROFILE=1 to profile one more search run and report the API's busy time by layer.
 */

const settings = {
  ...BENCH_SERVERS,
  rows: Number(process.env.BENCH_ROWS ?? 100_000),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 64),
  durationSeconds: Number(process.env.BENCH_DURATION ?? 10),
  warmupSeconds: Number(process.env.BENCH_WARMUP ?? 3),
  keepDatabase: process.env.BENCH_KEEP_DATABASE === '1' || process.env.BENCH_REUSE_DATABASE === '1',
  reuseDatabase: process.env.BENCH_REUSE_DATABASE === '1',
  targets: (process.env.BENCH_TARGETS ?? 'bareExpress,bareFastify,apiLive,search,detail').split(','),
  profile: process.env.BENCH_PROFILE === '1',
};
const DATABASE = 'platform_bench_lookup';
const QUEUE_PREFIX = `bench-lookup-${randomBytes(3).toString('hex')}`;

/** Partial Chinese names of varied selectivity, a misspelling, a miss; licence numbers and USCCs are added from the data. */
const NAME_QUERIES = ['东方', '星辰', '启航', '博雅', '编程', '书法', '钢琴', '围棋', '跆拳道', '小天才', '新东方英语', '艺术中心', '梅溪湖', '岳麓'];
const TYPO_QUERY = '星晨编程培训'; // 晨 for 辰: no bigram match, the trigram fallback answers
const MISS_QUERY = '无证黑机构培训班';

const log = (message: string) => process.stderr.write(`[bench:lookup] ${message}\n`);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const round2 = (value: number) => Math.round(value * 100) / 100;

const { databaseUrl, createMigrated, cleanUp } = benchDatabase(settings.serverUrl);

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const resultsDir = join(__dirname, '../../../bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const loadAtStart = loadavg();
  const today = shanghaiDate(startedAt);

  // 1. A fresh database, migrated like every other; 2. the register, loaded by a child process.
  const url = databaseUrl(DATABASE);
  let migrateSeconds = 0;
  let seeded: SeedResult;
  const dataSource = new DataSource(databaseOptions(url));
  if (settings.reuseDatabase) {
    log(`reusing ${DATABASE}`);
    await dataSource.initialize();
    const counts: { status: string; n: number }[] = await dataSource.query(
      `SELECT status, count(*)::int AS n FROM institutions GROUP BY status ORDER BY 2 DESC`,
    );
    const byStatus = Object.fromEntries(counts.map((row) => [row.status, row.n]));
    seeded = {
      rows: counts.reduce((sum, row) => sum + row.n, 0),
      byStatus,
      generateSeconds: 0,
      insertSeconds: 0,
      indexSeconds: 0,
      analyzeSeconds: 0,
      loadSeconds: 0,
    };
  } else {
    log(`creating ${DATABASE}`);
    ({ migrateSeconds } = await createMigrated(DATABASE));
    await dataSource.initialize();
    log(`loading ${settings.rows} institutions`);
    seeded = await ask<SeedResult>(child(join(__dirname, 'seed.js')), { databaseUrl: url, rows: settings.rows, today } satisfies SeedJob);
    log(`loaded ${seeded.rows} rows in ${seeded.loadSeconds} s`);
  }
  // Write the load out of the way now rather than in the middle of a measurement.
  await dataSource.query('CHECKPOINT').catch(() => undefined);
  const [{ version: postgres }] = await dataSource.query(`SELECT current_setting('server_version') AS version`);

  const registered = REGISTERED_STATUSES as string[];
  const ids: string[] = (await dataSource.query(`SELECT id FROM institutions WHERE status = ANY($1) ORDER BY random() LIMIT 2000`, [registered])).map(
    (row: { id: string }) => row.id,
  );
  const exact: { licence_number: string; uscc: string }[] = await dataSource.query(
    `SELECT licence_number, uscc FROM institutions WHERE status = ANY($1) ORDER BY random() LIMIT 2`,
    [registered],
  );
  await dataSource.destroy();
  const queries = [...NAME_QUERIES, TYPO_QUERY, MISS_QUERY, ...exact.map((row) => row.licence_number), ...exact.map((row) => row.uscc)];

  // 3. The real API, in this process, and a bare handler beside it.
  const environment = validateEnvironment({
    NODE_ENV: 'production',
    DATABASE_URL: url,
    REDIS_URL: settings.redisUrl,
    QUEUE_PREFIX,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    PUBLIC_REQUESTS_PER_MINUTE: String(1_000_000_000),
    ENABLE_SCHEDULERS: 'false',
  });
  const app = await createApi(environment, { logger: false });
  await app.listen(0, '127.0.0.1');
  const apiUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const rssAtStart = process.memoryUsage().rss;

  // The same small JSON answer from a bare handler on each framework: the ceilings the API is measured against.
  const bareExpress = express();
  bareExpress.get('/hello', (_request, response) => void response.json({ hello: 'world', at: Date.now() }));
  const bareExpressServer = new Server(bareExpress);
  const bareExpressUrl = `http://127.0.0.1:${await listen(bareExpressServer)}`;
  const bareFastify = fastify();
  bareFastify.get('/hello', async () => ({ hello: 'world', at: Date.now() }));
  const bareFastifyUrl = await bareFastify.listen({ port: 0, host: '127.0.0.1' });
  log(`api on ${apiUrl}, bare handlers on ${bareExpressUrl} (Express) and ${bareFastifyUrl} (Fastify)`);

  // Each query alone: the first request computes the answer (the database's cost for one request, before
  // any queueing), the next four come from the API's memory. Each must answer 200.
  const matches: { q: string; total: number; computedMs: number; cachedMedianMs: number }[] = [];
  for (const q of queries) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const response = await fetch(`${apiUrl}/api/v1/public/institutions?q=${encodeURIComponent(q)}`);
      if (response.status !== 200) throw new Error(`search ${q} answered ${response.status}: ${await response.text()}`);
      total = ((await response.json()) as { total: number }).total;
      times.push(performance.now() - started);
    }
    const [computed, ...cached] = times.map((ms) => Math.round(ms * 10) / 10);
    matches.push({ q, total, computedMs: computed, cachedMedianMs: cached.sort((a, b) => a - b)[2] });
  }
  const detail = await fetch(`${apiUrl}/api/v1/public/institutions/${ids[0]}`);
  if (detail.status !== 200) throw new Error(`detail answered ${detail.status}`);

  // 4. Load, from a child process.
  const generator = child(join(__dirname, '../support/load-generator.js'));
  let jobId = 0;
  const measure = async (name: string, url: string, paths: string[]): Promise<Omit<LoadResult, 'id'>> => {
    const job = { url, paths, connections: settings.connections };
    if (settings.warmupSeconds > 0) {
      log(`${name}: warm-up ${settings.warmupSeconds} s`);
      await ask<LoadResult>(generator, { ...job, id: ++jobId, durationSeconds: settings.warmupSeconds } satisfies LoadJob);
    }
    log(`${name}: ${settings.durationSeconds} s at ${settings.connections} connections`);
    const { id: _id, ...result } = await ask<LoadResult>(generator, { ...job, id: ++jobId, durationSeconds: settings.durationSeconds } satisfies LoadJob);
    log(`${name}: ${result.requestsPerSecond} req/s, p99 ${result.latencyMs.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`);
    return result;
  };

  const plan = {
    bareExpress: () => measure('bareExpress', bareExpressUrl, ['/hello']),
    bareFastify: () => measure('bareFastify', bareFastifyUrl, ['/hello']),
    // The API's own floor: the whole middleware stack (request id, helmet, pino-http, metrics, guards) and no database.
    apiLive: () => measure('apiLive', apiUrl, ['/health/live']),
    search: () =>
      measure(
        'search',
        apiUrl,
        queries.map((q) => `/api/v1/public/institutions?q=${encodeURIComponent(q)}`),
      ),
    detail: () =>
      measure(
        'detail',
        apiUrl,
        ids.map((id) => `/api/v1/public/institutions/${id}`),
      ),
  };
  const targets: Partial<Record<keyof typeof plan, Omit<LoadResult, 'id'>>> = {};
  for (const name of Object.keys(plan) as (keyof typeof plan)[]) if (settings.targets.includes(name)) targets[name] = await plan[name]();
  // With BENCH_PROFILE=1, one more search run under V8's profiler (it slows the thread, so apart from the measured one).
  let profile: (LayerProfile & { searchRequestsPerSecondWhileProfiled: number }) | undefined;
  if (settings.profile) {
    const stop = await profileLayers(join(resultsDir, `lookup-${stamp}-search.cpuprofile`));
    const profiled = await plan.search();
    profile = { ...(await stop()), searchRequestsPerSecondWhileProfiled: profiled.requestsPerSecond };
  }
  const rssPeak = process.resourceUsage().maxRSS * 1024;

  // 5. Clean up: load generator, servers, queues' keys, database.
  generator.disconnect();
  await app.close();
  await new Promise((resolve) => bareExpressServer.close(resolve));
  await bareFastify.close();
  await cleanUp(settings.redisUrl, QUEUE_PREFIX, DATABASE, settings.keepDatabase);

  const ratio = (target: Omit<LoadResult, 'id'> | undefined, bare: Omit<LoadResult, 'id'> | undefined) =>
    target && bare ? Math.round((target.requestsPerSecond / bare.requestsPerSecond) * 1000) / 1000 : undefined;
  const p99Ratio = (target: Omit<LoadResult, 'id'> | undefined, bare: Omit<LoadResult, 'id'> | undefined) =>
    target && bare ? Math.round((target.latencyMs.p99 / Math.max(1, bare.latencyMs.p99)) * 100) / 100 : undefined;
  const toBare = (bare: Omit<LoadResult, 'id'> | undefined) => ({
    apiLive: ratio(targets.apiLive, bare),
    search: ratio(targets.search, bare),
    detail: ratio(targets.detail, bare),
    searchP99: p99Ratio(targets.search, bare),
  });
  const searchToFastify = toBare(targets.bareFastify);
  const report = {
    bench: 'lookup',
    startedAt: startedAt.toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      postgres,
      // Anything else running on the machine competes for the same cores: these say how busy it was.
      loadAverage1mAtStart: round2(loadAtStart[0]),
      loadAverage1mAtEnd: round2(loadavg()[0]),
    },
    setup: {
      connections: settings.connections,
      durationSeconds: settings.durationSeconds,
      warmupSeconds: settings.warmupSeconds,
      loadGenerator: 'autocannon in a child process; API and bare handlers in the parent process; PostgreSQL and Redis on the same machine',
      rows: seeded.rows,
      byStatus: seeded.byStatus,
      migrateSeconds,
      loadSeconds: seeded.loadSeconds,
      load: {
        generateSeconds: seeded.generateSeconds,
        insertSeconds: seeded.insertSeconds,
        indexSeconds: seeded.indexSeconds,
        analyzeSeconds: seeded.analyzeSeconds,
      },
      searchQueries: matches,
      detailIds: ids.length,
    },
    targets,
    // req/s of each target ÷ the bare handler's (searchP99: p99 ÷ the bare handler's p99).
    toBareFastify: searchToFastify,
    toBareExpress: toBare(targets.bareExpress),
    aims: {
      searchThroughput: { aim: 'search req/s ≥ 0.5 × bare Fastify', ratio: searchToFastify.search, met: (searchToFastify.search ?? 0) >= 0.5 },
      searchP99: { aim: 'search p99 ≤ 2 × bare Fastify p99', ratio: searchToFastify.searchP99, met: (searchToFastify.searchP99 ?? Infinity) <= 2 },
    },
    profile,
    rss: { apiProcessAtStartMb: mb(rssAtStart), apiProcessPeakMb: mb(rssPeak) },
    databaseKept: settings.keepDatabase ? DATABASE : undefined,
  };
  const json = JSON.stringify(report, null, 2);
  writeFileSync(join(resultsDir, `lookup-${stamp}.json`), json + '\n');
  process.stdout.write(json + '\n');
}

runBench(main);
