import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AccountsService, Principal } from '@app/core';
import { addDays, shanghaiDate } from '@app/core/calendar/shanghai-time';
import { InvariantResult, LedgerService } from '@app/ledger';
import { DistrictPolicyService } from '@app/registry';
import { LessonsService, ReceiptsService, SettlementService, TuitionCheckService } from '@app/tuition';
import { createApi } from '../../apps/api/src/create-api';
import { ask, child } from '../support/children';
import type { LoadJob, LoadResult, SequencedRequest } from '../support/load-generator';
import { CpuUse, asCaller, cpuMeter, cpuProfile, round, runLoops, sampleActivity, statementCounter } from './load';
import { pgbench } from './pgbench';
import { buildWorld } from './seed';
import { BENCH_SERVERS, benchDatabase, benchEnvironment } from '../support/bench-database';
import { runBench } from '../support/run-bench';

/**
 * bench/ledger: how fast the escrow ledger moves money (`npm run bench:ledger`).
 *
 * Boots the whole API in this process (createApi, logs silent, listening on loopback) on its own
 * database, platform_bench_ledger, and calls the services directly:
 *   (b) roll calls: 16 concurrent loops calling LessonsService.record for classes of 30 (30 pending transfers each);
 *   (a) confirmations: 16 concurrent loops calling LessonsService.confirm(parent, consumptionId) on 20,000
 *       pending consumptions (made by (b)), in random order; then as many again through HTTP
 *       (POST /api/v1/consumptions/:id/confirm, bearer token, Idempotency-Key) from autocannon in a child process;
 *   (c) the baseline: pgbench's tpcb-like script, 16 clients, in platform_bench_pgbench on the same server;
 *   (d) LessonsService.autoConfirmDue over 100,000 due consumptions, then SettlementService.runDistrict over
 *       1,000 institutions that each hold a confirmed payable balance.
 * After the setup and after each phase, TuitionCheckService.invariants (the ledger's and the contracts') run over
 * the whole database. Prints one JSON document on stdout; progress goes to stderr.
 *
 * Settings (environment): BENCH_DATABASE_SERVER_URL, BENCH_REDIS_URL, BENCH_CLIENTS (16), BENCH_DURATION
 * (10 s), BENCH_WARMUP (2 s), BENCH_INSTITUTIONS (1000), BENCH_CONFIRMATIONS (20000), BENCH_AUTO_CONFIRM
 * (100000), BENCH_AUTO_CONFIRM_BATCH (the service's default), BENCH_PGBENCH_SCALE (16), BENCH_KEEP_DATABASE=1 to keep platform_bench_ledger for EXPLAIN,
 * BENCH_PROFILE_DIR=<dir> to write V8 CPU profiles of phases (a) and (b) there.
 */

const settings = {
  ...BENCH_SERVERS,
  clients: Number(process.env.BENCH_CLIENTS ?? 16),
  durationSeconds: Number(process.env.BENCH_DURATION ?? 10),
  warmupSeconds: Number(process.env.BENCH_WARMUP ?? 2),
  institutions: Number(process.env.BENCH_INSTITUTIONS ?? 1000),
  classSize: 30,
  lessonsPerContract: 100,
  lessonPriceFen: 5_000,
  confirmations: Number(process.env.BENCH_CONFIRMATIONS ?? 20_000),
  autoConfirm: Number(process.env.BENCH_AUTO_CONFIRM ?? 100_000),
  /** LessonsService.autoConfirmDue's batch size; unset = the service's default. */
  autoConfirmBatch: process.env.BENCH_AUTO_CONFIRM_BATCH ? Number(process.env.BENCH_AUTO_CONFIRM_BATCH) : undefined,
  pgbenchScale: Number(process.env.BENCH_PGBENCH_SCALE ?? 16),
  pgbenchThreads: 2,
  keepDatabase: process.env.BENCH_KEEP_DATABASE === '1',
};
const DATABASE = 'platform_bench_ledger';
const PGBENCH_DATABASE = 'platform_bench_pgbench';
const DISTRICT = '430104';
const QUEUE_PREFIX = `bench-ledger-${randomBytes(3).toString('hex')}`;

const log = (message: string) => process.stderr.write(`[bench:ledger] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const since = (t: number) => round((performance.now() - t) / 1000, 3);

const { onServer, createMigrated, cleanUp } = benchDatabase(settings.serverUrl);

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = loadavg().map((value) => round(value, 2));
  const today = shanghaiDate(startedAt);
  statementCounter.install();

  // (c) first, on a quiet server: the baseline every other figure is compared with.
  log(`pgbench -i -s ${settings.pgbenchScale}, then -c ${settings.clients} -j ${settings.pgbenchThreads} -T ${settings.durationSeconds}`);
  await onServer(`DROP DATABASE IF EXISTS ${PGBENCH_DATABASE} WITH (FORCE)`);
  await onServer(`CREATE DATABASE ${PGBENCH_DATABASE}`);
  const baseline = await pgbench(settings.serverUrl, PGBENCH_DATABASE, {
    scale: settings.pgbenchScale,
    clients: settings.clients,
    threads: settings.pgbenchThreads,
    durationSeconds: settings.durationSeconds,
  });
  await onServer(`DROP DATABASE IF EXISTS ${PGBENCH_DATABASE} WITH (FORCE)`);
  log(`pgbench: ${baseline.tps} tps`);

  // A fresh database, migrated like the tests' template.
  log(`creating ${DATABASE}`);
  const { url, migrateSeconds } = await createMigrated(DATABASE);
  let t = performance.now();

  const environment = benchEnvironment(url, settings.redisUrl, QUEUE_PREFIX);
  // The whole API, listening on loopback: the services are called in-process for (a), (b) and (d), and
  // (a) is repeated through HTTP against the same process.
  const app = await createApi(environment, { logger: false });
  await app.listen(0, '127.0.0.1');
  const apiUrl = await app.getUrl();
  const dataSource = app.get(DataSource);
  const ledger = app.get(LedgerService);
  const lessons = app.get(LessonsService);
  const settlement = app.get(SettlementService);
  const tuitionCheck = app.get(TuitionCheckService);
  const [{ version: postgres }] = await dataSource.query(`SELECT current_setting('server_version') AS version`);
  const rssAtStart = process.memoryUsage().rss;

  const invariants: Record<string, { ok: boolean; failed: InvariantResult[]; seconds: number }> = {};
  const check = async (phase: string) => {
    const t0 = performance.now();
    const results = await tuitionCheck.invariants({ id: 'bench', role: 'admin', name: 'bench' }); // the whole ledger
    const failed = results.filter((result) => !result.ok);
    invariants[phase] = { ok: failed.length === 0, failed, seconds: since(t0) };
    log(`invariants after ${phase}: ${failed.length ? `FAILED ${failed.map((f) => f.invariant).join(', ')}` : 'all hold'} (${invariants[phase].seconds} s)`);
  };
  // Before each measurement: statistics up to date, dirty pages written, so neither lands mid-run.
  const settle = async () => {
    await dataSource.query('ANALYZE');
    await dataSource.query('CHECKPOINT').catch(() => undefined);
  };
  /** WAL written during a phase, from pg_stat_wal (the whole server's), on a connection of its own so the statement counts stay the application's. */
  const statsClient = new Client({ connectionString: url });
  await statsClient.connect();
  const walStat = async () => {
    const { rows } = await statsClient.query(`SELECT wal_records::text AS records, wal_fpi::text AS fpi, wal_bytes::text AS bytes FROM pg_stat_wal`);
    return { records: Number(rows[0].records), fpi: Number(rows[0].fpi), bytes: Number(rows[0].bytes) };
  };
  const wal: Record<string, { records: number; fullPageImages: number; mb: number }> = {};
  let walBefore = { records: 0, fpi: 0, bytes: 0 };
  const walStart = async () => void (walBefore = await walStat());
  const walStop = async (phase: string) => {
    const now = await walStat();
    wal[phase] = {
      records: now.records - walBefore.records,
      fullPageImages: now.fpi - walBefore.fpi,
      mb: round((now.bytes - walBefore.bytes) / 1024 / 1024, 1),
    };
  };
  const pendingCount = async (): Promise<number> => (await dataSource.query(`SELECT count(*)::int AS n FROM consumptions WHERE status = 'pending'`))[0].n;

  // The world: the district's policy raised through the service, then institutions, classes, paid contracts.
  log(`building ${settings.institutions} institutions × ${settings.classSize} paid contracts of ${settings.lessonsPerContract} lessons`);
  t = performance.now();
  const bank = { principal: await app.get(AccountsService).bankClientNamed('bench-bank', DISTRICT), receipts: app.get(ReceiptsService) };
  const world = await buildWorld(dataSource, ledger, bank, {
    districtCode: DISTRICT,
    institutions: settings.institutions,
    classSize: settings.classSize,
    lessonsPerContract: settings.lessonsPerContract,
    lessonPriceFen: settings.lessonPriceFen,
    // The window began a month ago: a roll call is recorded once the lesson has happened, inside it.
    startDate: addDays(today, -30),
    endDate: addDays(today, 59),
  });
  const regulator: Principal = { id: world.regulatorId, role: 'regulator', name: 'bench', districtCode: DISTRICT };
  const policy = { maxPrepaidLessons: 1000, maxPrepaidAmountFen: 100_000_000, settlementCycle: 'daily' as const };
  await asCaller(regulator, () => app.get(DistrictPolicyService).change(regulator, DISTRICT, policy));
  const setupSeconds = since(t);
  log(`world built in ${setupSeconds} s`);
  await check('setup');

  // A lesson of yesterday: a lesson is recorded once it has happened (a future one is refused); the
  // parent's confirmation window runs from the recording, so it ends well after this run.
  const startsAt = new Date(`${addDays(today, -1)}T10:00:00+08:00`);
  const owners = world.institutions.map((institution): Principal => ({ id: institution.ownerId, role: 'institution', name: 'bench' }));
  const lessonsRecorded = new Array<number>(world.institutions.length).fill(0);
  let lessonKey = 0;
  /** Loop `loop` records for its own institutions in turn (institution i belongs to loop i mod clients), so loops never queue on each other's rows. */
  const rollCalls = () => {
    const cursor = new Array<number>(settings.clients).fill(0);
    return (loop: number) => {
      const mine = Math.ceil((world.institutions.length - loop) / settings.clients);
      for (let tries = 0; tries < mine; tries++) {
        const index = loop + settings.clients * (cursor[loop]++ % mine);
        if (lessonsRecorded[index] >= world.lessonsPerContract) continue;
        lessonsRecorded[index]++;
        const institution = world.institutions[index];
        const key = `bench-lesson-${++lessonKey}`;
        return () =>
          asCaller(owners[index], () =>
            lessons.record(owners[index], { courseId: institution.courseId, startsAt, minutes: 45, contractIds: institution.contractIds }, key),
          );
      }
      return undefined;
    };
  };

  // (b) Roll calls of 30.
  await settle();
  if (settings.warmupSeconds > 0) {
    log(`(b) warm-up ${settings.warmupSeconds} s`);
    await runLoops(settings.clients, settings.warmupSeconds, rollCalls());
  }
  log(`(b) roll calls of ${settings.classSize}: ${settings.durationSeconds} s at ${settings.clients} loops`);
  let shapes = statementCounter.snapshot();
  let sampling = await sampleActivity(url);
  let meter = cpuMeter(DATABASE);
  let profiling = await cpuProfile('rollCalls');
  await walStart();
  const recorded = await runLoops(settings.clients, settings.durationSeconds, rollCalls());
  const cpu: Record<string, CpuUse> = { rollCalls: meter() };
  await walStop('rollCalls');
  await profiling();
  const activity: Record<string, Record<string, number>> = { rollCalls: await sampling() };
  const recordStatements = statementCounter.since(shapes, recorded.operations);
  log(`(b) ${recorded.perSecond} lessons/s = ${round(recorded.perSecond * settings.classSize)} transfers/s, p99 ${recorded.latencyMs.p99} ms`);
  await check('rollCalls');

  // Enough pending consumptions for (a) and (d): top up with more roll calls (unmeasured) if (b) made too few.
  const warmupConfirmations = settings.warmupSeconds > 0 ? 1000 : 0;
  // (a) twice: once in-process, once through HTTP, each on consumptions of its own.
  const needed = 2 * (settings.confirmations + warmupConfirmations) + settings.autoConfirm;
  let topUpLessons = 0;
  for (let pending = await pendingCount(); pending < needed; pending = await pendingCount()) {
    const lessonsNeeded = Math.ceil((needed - pending) / settings.classSize);
    log(`topping up: ${pending} pending, recording ${lessonsNeeded} more roll calls`);
    let left = lessonsNeeded;
    const next = rollCalls();
    const topUp = await runLoops(settings.clients, 3600, (loop) => (left-- > 0 ? next(loop) : undefined));
    topUpLessons += topUp.operations;
    if (!topUp.operations) throw new Error('the contracts have no lessons left to record');
  }

  // (a) Single confirmations by parents, in random order over all institutions.
  const picked: Array<{ id: string; parentUserId: string }> = await dataSource.query(
    `SELECT s.id, c.parent_user_id AS "parentUserId" FROM consumptions s JOIN contracts c ON c.id = s.contract_id WHERE s.status = 'pending' ORDER BY random() LIMIT $1`,
    [2 * (settings.confirmations + warmupConfirmations)],
  );
  const overHttp = picked.splice(settings.confirmations + warmupConfirmations);
  const confirmations = (list: typeof picked) => {
    let next = 0;
    return () => {
      const item = list[next++];
      if (!item) return undefined;
      const parent: Principal = { id: item.parentUserId, role: 'parent', name: 'bench' };
      return () => asCaller(parent, () => lessons.confirm(parent, item.id));
    };
  };
  await settle();
  if (warmupConfirmations) {
    log(`(a) warm-up: ${warmupConfirmations} confirmations`);
    await runLoops(settings.clients, 3600, confirmations(picked.slice(0, warmupConfirmations)));
  }
  log(`(a) confirmations: ${settings.confirmations} at ${settings.clients} loops, at most ${settings.durationSeconds} s`);
  shapes = statementCounter.snapshot();
  sampling = await sampleActivity(url);
  meter = cpuMeter(DATABASE);
  profiling = await cpuProfile('confirmations');
  await walStart();
  const confirmed = await runLoops(settings.clients, settings.durationSeconds, confirmations(picked.slice(warmupConfirmations)));
  cpu.confirmations = meter();
  await walStop('confirmations');
  await profiling();
  activity.confirmations = await sampling();
  const confirmStatements = statementCounter.since(shapes, confirmed.operations);
  log(`(a) ${confirmed.perSecond} confirmations/s, p50 ${confirmed.latencyMs.p50} ms, p99 ${confirmed.latencyMs.p99} ms`);
  await check('confirmations');

  // (a) again through HTTP: POST /api/v1/consumptions/:id/confirm with the parent's bearer token and an
  // Idempotency-Key, from autocannon in a child process at the same number of connections, as many
  // confirmations as the in-process run made (so both do the same work on the same database size).
  const jwt = app.get(JwtService);
  const asRequests = async (list: typeof picked): Promise<SequencedRequest[]> =>
    Promise.all(
      list.map(async (item) => ({
        method: 'POST' as const,
        path: `/api/v1/consumptions/${item.id}/confirm`,
        headers: {
          authorization: `Bearer ${await jwt.signAsync({ sub: item.parentUserId, role: 'parent', name: 'bench' })}`,
          'idempotency-key': `bench-confirm-${item.id}`,
          'content-type': 'application/json',
        },
        body: '{}',
      })),
    );
  const generator = child(join(__dirname, '../support/load-generator.js'));
  let jobId = 0;
  const send = (sequence: SequencedRequest[]) =>
    ask<LoadResult>(generator, { id: ++jobId, url: apiUrl, sequence, connections: settings.clients, durationSeconds: 0 } satisfies LoadJob);
  await settle();
  if (warmupConfirmations) {
    log(`(a) over HTTP, warm-up: ${warmupConfirmations} confirmations`);
    await send(await asRequests(overHttp.slice(0, warmupConfirmations)));
  }
  const httpSequence = await asRequests(overHttp.slice(warmupConfirmations, warmupConfirmations + confirmed.operations));
  log(`(a) over HTTP: ${httpSequence.length} confirmations at ${settings.clients} connections`);
  shapes = statementCounter.snapshot();
  sampling = await sampleActivity(url);
  meter = cpuMeter(DATABASE);
  profiling = await cpuProfile('confirmationsHttp');
  await walStart();
  const statementsBeforeHttp = statementCounter.total;
  const { id: _id, ...confirmedHttp } = await send(httpSequence);
  cpu.confirmationsHttp = meter();
  await walStop('confirmationsHttp');
  await profiling();
  activity.confirmationsHttp = await sampling();
  const confirmHttpStatements = statementCounter.since(shapes, Math.max(1, confirmedHttp.requests));
  const httpStatements = statementCounter.total - statementsBeforeHttp;
  generator.disconnect();
  log(
    `(a) over HTTP: ${confirmedHttp.requestsPerSecond} confirmations/s, p50 ${confirmedHttp.latencyMs.p50} ms, p99 ${confirmedHttp.latencyMs.p99} ms, non-2xx ${confirmedHttp.non2xx}`,
  );
  await check('confirmationsHttp');

  // (d1) Auto-confirmation of 100,000 due consumptions.
  const made: Array<{ n: number }> = await dataSource.query(
    `WITH due AS (SELECT id FROM consumptions WHERE status = 'pending' ORDER BY id LIMIT $1)
     UPDATE consumptions s SET auto_confirm_at = now() - interval '1 minute' FROM due WHERE s.id = due.id RETURNING 1 AS n`,
    [settings.autoConfirm],
  );
  const dueCount = (Array.isArray(made[0]) ? (made[0] as unknown[]) : made).length;
  await settle();
  log(`(d) autoConfirmDue over ${dueCount} due consumptions`);
  shapes = statementCounter.snapshot();
  sampling = await sampleActivity(url);
  meter = cpuMeter(DATABASE);
  await walStart();
  t = performance.now();
  const autoConfirmed = await lessons.autoConfirmDue(settings.autoConfirmBatch);
  const autoConfirmSeconds = since(t);
  cpu.autoConfirm = meter();
  await walStop('autoConfirm');
  activity.autoConfirm = await sampling();
  const autoConfirmStatements = statementCounter.since(shapes, 1);
  log(`(d) auto-confirmed ${autoConfirmed} in ${autoConfirmSeconds} s`);
  await check('autoConfirm');

  // (d2) The rolling transfer over every institution of the district.
  const [{ withPayable }] = await dataSource.query(
    `SELECT count(*)::int AS "withPayable" FROM ledger_accounts WHERE code = 'payable' AND credits_posted - debits_posted > 0`,
  );
  await settle();
  log(`(d) settlement cycle of district ${DISTRICT}: ${withPayable} institutions with a payable balance`);
  shapes = statementCounter.snapshot();
  sampling = await sampleActivity(url);
  meter = cpuMeter(DATABASE);
  await walStart();
  t = performance.now();
  const outcomes = await settlement.runDistrict(DISTRICT, today);
  const settlementSeconds = since(t);
  cpu.settlement = meter();
  await walStop('settlement');
  activity.settlement = await sampling();
  const settled = outcomes.filter((outcome) => outcome.settled);
  const settlementStatements = statementCounter.since(shapes, Math.max(1, settled.length));
  log(`(d) settled ${settled.length} institutions in ${settlementSeconds} s`);
  await check('settlement');
  const rssPeak = process.resourceUsage().maxRSS * 1024;
  const [{ transfers }] = await dataSource.query(`SELECT count(*)::int AS transfers FROM ledger_transfers`);

  // Clean up: the application, the queues' keys, the database.
  await statsClient.end();
  await app.close();
  await cleanUp(settings.redisUrl, QUEUE_PREFIX, DATABASE, settings.keepDatabase);

  const ratio = (value: number) => round(value / baseline.tps, 3);
  const perOperation = (use: CpuUse, operations: number) => ({
    ...use,
    nodeMsPerOperation: round(use.nodeMs / Math.max(1, operations), 3),
    postgresMsPerOperation: round(use.postgresMs / Math.max(1, operations), 3),
  });
  const transfersPerSecond = round(recorded.perSecond * settings.classSize, 1);
  const report = {
    bench: 'ledger',
    startedAt: startedAt.toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      node: process.version,
      postgres,
      loadAverageAtStart: loadAtStart,
    },
    setup: {
      path: 'services called in-process (the API app, createApi); (a) also through HTTP to the same process from autocannon in a child process; PostgreSQL and Redis on the same machine',
      clients: settings.clients,
      durationSeconds: settings.durationSeconds,
      warmupSeconds: settings.warmupSeconds,
      institutions: world.institutions.length,
      contracts: world.contracts,
      classSize: settings.classSize,
      lessonsPerContract: world.lessonsPerContract,
      lessonPriceFen: world.lessonPriceFen,
      migrateSeconds,
      buildSeconds: setupSeconds,
      topUpLessons,
      transfersAtEnd: transfers,
    },
    pgbench: baseline,
    confirmations: {
      what: '(a) LessonsService.confirm(parent, consumptionId): one pending transfer posted per call and transaction, random consumptions over all institutions',
      ...confirmed,
      perSecondToPgbench: ratio(confirmed.perSecond),
      aim: '≥ 0.6 × pgbench tps',
      aimMet: confirmed.perSecond >= 0.6 * baseline.tps,
      statementsPerConfirmation: round(confirmed.statements / Math.max(1, confirmed.operations), 2),
      cpu: perOperation(cpu.confirmations, confirmed.operations),
    },
    confirmationsHttp: {
      what: '(a) through HTTP: POST /api/v1/consumptions/:id/confirm with a bearer token and an Idempotency-Key, autocannon in a child process, as many as the in-process run made',
      ...confirmedHttp,
      perSecondToInProcess: round(confirmedHttp.requestsPerSecond / Math.max(1, confirmed.perSecond), 3),
      aim: 'HTTP costs < 25% of the in-process rate: ≥ 0.75 × (a) in-process',
      aimMet: confirmedHttp.non2xx === 0 && confirmedHttp.errors === 0 && confirmedHttp.requestsPerSecond >= 0.75 * confirmed.perSecond,
      statementsPerConfirmation: round(httpStatements / Math.max(1, confirmedHttp.requests), 2),
      cpu: perOperation(cpu.confirmationsHttp, confirmedHttp.requests),
    },
    rollCalls: {
      what: `(b) LessonsService.record for a class of ${settings.classSize}: ${settings.classSize} pending transfers per call and transaction; each loop records for its own institutions`,
      ...recorded,
      lessonsPerSecond: recorded.perSecond,
      transfersPerSecond,
      transfersPerSecondToPgbench: ratio(transfersPerSecond),
      aim: 'transfers/s ≥ 8 × pgbench tps',
      aimMet: transfersPerSecond >= 8 * baseline.tps,
      statementsPerLesson: round(recorded.statements / Math.max(1, recorded.operations), 2),
      cpu: perOperation(cpu.rollCalls, recorded.operations),
    },
    autoConfirm: {
      what: `(d) LessonsService.autoConfirmDue(${settings.autoConfirmBatch ?? ''}): one transaction per batch`,
      due: dueCount,
      confirmed: autoConfirmed,
      seconds: autoConfirmSeconds,
      perSecond: round(autoConfirmed / autoConfirmSeconds),
      statements: autoConfirmStatements.reduce((sum, row) => sum + row.perOperation, 0),
      cpu: perOperation(cpu.autoConfirm, autoConfirmed),
      aim: '< 30 s',
      aimMet: autoConfirmed === dueCount && autoConfirmSeconds < 30,
    },
    settlement: {
      what: `(d) SettlementService.runDistrict(${DISTRICT}): one transaction per institution`,
      institutionsWithPayable: withPayable,
      institutions: outcomes.length,
      settled: settled.length,
      seconds: settlementSeconds,
      perSecond: round(settled.length / settlementSeconds, 1),
      cpu: perOperation(cpu.settlement, settled.length),
      aim: '< 30 s',
      aimMet: settled.length === withPayable && settlementSeconds < 30,
    },
    invariants: { allHold: Object.values(invariants).every((phase) => phase.ok), byPhase: invariants },
    wal: {
      what: 'pg_stat_wal before and after each phase (the whole server: other databases’ writes count too); each phase starts right after a CHECKPOINT, so the first change to every page writes a full-page image',
      ...wal,
    },
    serverActivity: {
      what: 'pg_stat_activity sampled every 50 ms during each phase: average number of the bench database’s backends per state or wait event',
      ...activity,
    },
    statements: {
      perLesson: recordStatements.slice(0, 20),
      perConfirmation: confirmStatements.slice(0, 20),
      perConfirmationOverHttp: confirmHttpStatements.slice(0, 20),
      autoConfirmRun: autoConfirmStatements.slice(0, 12),
      perSettlement: settlementStatements.slice(0, 20),
    },
    rss: { atStartMb: mb(rssAtStart), peakMb: mb(rssPeak) },
    databaseKept: settings.keepDatabase ? DATABASE : undefined,
  };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

runBench(main);
