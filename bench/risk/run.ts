import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { shanghaiDate } from '@app/core/calendar/shanghai-time';
import { RiskFactsService, RiskService } from '@app/oversight';
import { ApiModule } from '../../apps/api/src/api.module';
import { buildRiskWorld } from './seed';
import { BENCH_SERVERS, benchDatabase, benchEnvironment } from '../support/bench-database';
import { runBench } from '../support/run-bench';

/**
 * bench/risk: how long the nightly risk scan takes (`npm run bench:risk`).
 *
 * Builds its own database, platform_bench_risk (dropped first and at the end), with 10,000 registered
 * institutions and 200,000 paid contracts and everything the rules read (bench/risk/seed.ts), boots the
 * API's Nest application context in this process (ApiModule.forRoot, logs silent) and calls
 * RiskService.fullScan() twice: the first run opens the flags, sets the levels and raises the alerts;
 * the second must change nothing. Wall time of each run, RSS and heapUsed sampled every 50 ms during the
 * runs, and the time spent gathering the facts (RiskFactsService.factsOf, one call per batch: a few set-based
 * reads through the registry's and tuition's facts services and oversight's own tables) against the rest
 * (rules and writes). The baseline beside it: a plain `SELECT institution_id, count(*) FROM contracts GROUP BY
 * institution_id` over the same table, timed in the same run.
 * Prints one JSON document on stdout; progress goes to stderr.
 *
 * Settings (environment): BENCH_DATABASE_SERVER_URL, BENCH_REDIS_URL, BENCH_INSTITUTIONS (10000),
 * BENCH_CONTRACTS_PER_INSTITUTION (20), BENCH_BANK_LINES=0 to load no bank statement lines,
 * BENCH_EXPLAIN=1 to print EXPLAIN (ANALYZE, BUFFERS) of every query of the first batch's facts on stderr,
 * BENCH_EXPLAIN_ONLY=1 to load and print only those plans (no scan), BENCH_KEEP_DATABASE=1 to keep
 * platform_bench_risk afterwards.
 */

const settings = {
  ...BENCH_SERVERS,
  institutions: Number(process.env.BENCH_INSTITUTIONS ?? 10_000),
  contractsPerInstitution: Number(process.env.BENCH_CONTRACTS_PER_INSTITUTION ?? 20),
  bankLines: process.env.BENCH_BANK_LINES !== '0',
  explain: process.env.BENCH_EXPLAIN === '1',
  explainOnly: process.env.BENCH_EXPLAIN_ONLY === '1',
  keepDatabase: process.env.BENCH_KEEP_DATABASE === '1',
};
const DATABASE = 'platform_bench_risk';
const QUEUE_PREFIX = `bench-risk-${randomBytes(3).toString('hex')}`;
const AIM = { seconds: 60, rssMb: 512 };
const REGISTERED = `('licensed', 'suspended', 'expired')`;

const log = (message: string) => process.stderr.write(`[bench:risk] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const since = (t: number) => round((performance.now() - t) / 1000, 3);

const { createMigrated, cleanUp } = benchDatabase(settings.serverUrl);

/** Samples RSS and heapUsed every `everyMs` until stopped; answers the peaks. */
function memorySampler(everyMs = 50) {
  let rss = process.memoryUsage().rss;
  let heapUsed = process.memoryUsage().heapUsed;
  let samples = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heapUsed = Math.max(heapUsed, usage.heapUsed);
    samples++;
  };
  const timer = setInterval(sample, everyMs);
  return () => {
    clearInterval(timer);
    sample();
    return { peakRssMb: mb(rss), peakHeapUsedMb: mb(heapUsed), samples };
  };
}

/** Statements the application sends (every QueryRunner.query, START TRANSACTION and COMMIT included). */
const statements = {
  total: 0,
  /** While set, every statement and its parameters are recorded here. */
  recording: undefined as Array<{ sql: string; params: unknown[] }> | undefined,
  install(): void {
    const original = PostgresQueryRunner.prototype.query;
    PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, ...args: unknown[]) {
      statements.total++;
      statements.recording?.push({ sql: args[0] as string, params: (args[1] as unknown[]) ?? [] });
      return (original as (...rest: unknown[]) => Promise<unknown>).apply(this, args);
    } as typeof original;
  },
};

/** Times every call of the facts gathering (one per batch), leaving what it does unchanged. */
function timeFacts(facts: RiskFactsService) {
  const original = facts.factsOf.bind(facts);
  const calls: number[] = [];
  facts.factsOf = async (ids: string[]) => {
    const t = performance.now();
    try {
      return await original(ids);
    } finally {
      calls.push(performance.now() - t);
    }
  };
  return {
    take() {
      const taken = calls.splice(0);
      const total = taken.reduce((sum, ms) => sum + ms, 0);
      return {
        batches: taken.length,
        seconds: round(total / 1000, 3),
        perBatchMs: { max: round(Math.max(0, ...taken)), mean: round(total / Math.max(1, taken.length)) },
      };
    },
  };
}

interface Snapshot {
  flags: Map<string, string>;
  alerts: Map<string, string>;
  levels: Map<string, string>;
  outbox: number;
  audit: number;
}

async function snapshot(dataSource: DataSource): Promise<Snapshot> {
  const flags: Array<{ id: string; row: string }> = await dataSource.query(
    `SELECT id, concat_ws('|', institution_id, rule_code, status, severity, evidence::text, closed_at::text) AS row FROM risk_flags`,
  );
  const alerts: Array<{ id: string; row: string }> = await dataSource.query(`SELECT id, concat_ws('|', status, rule_code, evidence::text) AS row FROM alerts`);
  const levels: Array<{ id: string; row: string }> = await dataSource.query(`SELECT id, risk_level AS row FROM institutions`);
  const [{ outbox, audit }] = await dataSource.query(`SELECT (SELECT count(*)::int FROM outbox) AS outbox, (SELECT count(*)::int FROM audit_log) AS audit`);
  const map = (rows: Array<{ id: string; row: string }>) => new Map(rows.map((row) => [row.id, row.row]));
  return { flags: map(flags), alerts: map(alerts), levels: map(levels), outbox, audit };
}

function changes(before: Snapshot, after: Snapshot) {
  const diff = (a: Map<string, string>, b: Map<string, string>) => ({
    added: [...b.keys()].filter((id) => !a.has(id)).length,
    changed: [...b.entries()].filter(([id, row]) => a.has(id) && a.get(id) !== row).length,
    removed: [...a.keys()].filter((id) => !b.has(id)).length,
  });
  const flags = diff(before.flags, after.flags);
  const alerts = diff(before.alerts, after.alerts);
  const levels = diff(before.levels, after.levels);
  return {
    flagsOpenedOrChanged: flags.added + flags.changed + flags.removed,
    alertsRaisedOrChanged: alerts.added + alerts.changed + alerts.removed,
    levelsChanged: levels.changed,
    outboxEvents: after.outbox - before.outbox,
    auditEntries: after.audit - before.audit,
    detail: { flags, alerts },
  };
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every query the facts of the first batch of the scan send: the
 * statements are recorded during one real call, then each read is replayed under EXPLAIN.
 */
async function explainFirstBatch(facts: RiskFactsService, dataSource: DataSource): Promise<string> {
  const ids: string[] = (await dataSource.query(`SELECT id FROM institutions WHERE status IN ${REGISTERED} ORDER BY id LIMIT 1000`)).map(
    (row: { id: string }) => row.id,
  );
  const recorded: Array<{ sql: string; params: unknown[] }> = [];
  statements.recording = recorded;
  try {
    await facts.factsOf(ids);
  } finally {
    statements.recording = undefined;
  }
  const t = performance.now();
  const plans: string[] = [];
  for (const statement of recorded.filter((candidate) => /^\s*(SELECT|WITH)\b/i.test(candidate.sql))) {
    const plan: Array<{ 'QUERY PLAN': string }> = await dataSource.query(`EXPLAIN (ANALYZE, BUFFERS) ${statement.sql}`, statement.params);
    plans.push(`-- ${statement.sql.replace(/\s+/g, ' ').slice(0, 160)}\n${plan.map((row) => row['QUERY PLAN']).join('\n')}`);
  }
  const explain = plans.join('\n\n');
  process.stderr.write(`\n${explain}\n\n`);
  log(`EXPLAIN ANALYZE of the first batch's ${plans.length} facts queries: ${since(t)} s`);
  return explain;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = loadavg().map((value) => round(value, 2));
  const today = shanghaiDate(startedAt);

  log(`creating ${DATABASE}`);
  const { url, migrateSeconds } = await createMigrated(DATABASE);

  log(`loading ${settings.institutions} institutions × ${settings.contractsPerInstitution} contracts (bulk SQL)`);
  const world = await buildRiskWorld(
    url,
    { institutions: settings.institutions, contractsPerInstitution: settings.contractsPerInstitution, now: startedAt, today, bankLines: settings.bankLines },
    log,
  );
  log(`loaded in ${world.loadSeconds} s: ${JSON.stringify(world.rows)}`);

  statements.install();
  const environment = benchEnvironment(url, settings.redisUrl, QUEUE_PREFIX);
  const app = await NestFactory.createApplicationContext(ApiModule.forRoot(environment), { logger: false });
  await app.init();
  // Clean up: the application, the queues' keys, the database.
  const tearDown = async () => {
    await app.close();
    await cleanUp(settings.redisUrl, QUEUE_PREFIX, DATABASE, settings.keepDatabase);
  };
  const dataSource = app.get(DataSource);
  const risk = app.get(RiskService);
  const facts = timeFacts(app.get(RiskFactsService));
  const [{ version: postgres }] = await dataSource.query(`SELECT current_setting('server_version') AS version`);
  const [{ registered }] = await dataSource.query(`SELECT count(*)::int AS registered FROM institutions WHERE status IN ${REGISTERED}`);
  const [{ contracts }] = await dataSource.query(`SELECT count(*)::int AS contracts FROM contracts`);

  // The baseline: one plain aggregate over the same contracts table, best of five.
  const baselineRuns: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    await dataSource.query(`SELECT institution_id, count(*) FROM contracts GROUP BY institution_id`);
    baselineRuns.push((performance.now() - t0) / 1000);
  }
  const baselineSeconds = round(Math.min(...baselineRuns), 4);
  log(`baseline: SELECT institution_id, count(*) FROM contracts GROUP BY institution_id: ${round(baselineSeconds * 1000, 1)} ms (best of 5)`);

  if (settings.explainOnly) {
    // Only the plan of one batch (the scan itself may take too long to wait for).
    const explain = await explainFirstBatch(app.get(RiskFactsService), dataSource);
    await tearDown();
    process.stdout.write(
      JSON.stringify(
        { bench: 'risk', explainOnly: true, institutions: registered, contracts, rows: world.rows, loadSeconds: world.loadSeconds, baselineSeconds, explain },
        null,
        2,
      ) + '\n',
    );
    return;
  }

  const scan = async (label: string) => {
    const rssBefore = process.memoryUsage().rss;
    const statementsBefore = statements.total;
    const stop = memorySampler(50);
    const t0 = performance.now();
    const result = await risk.fullScan();
    const seconds = since(t0);
    const memory = stop();
    const factsQuery = facts.take();
    log(`${label}: ${result.institutions} institutions in ${seconds} s (facts ${factsQuery.seconds} s), peak RSS ${memory.peakRssMb} MB`);
    return {
      ...result,
      seconds,
      institutionsPerSecond: round(result.institutions / seconds, 1),
      factsQuery,
      restSeconds: round(seconds - factsQuery.seconds, 3),
      statements: statements.total - statementsBefore,
      rssBeforeMb: mb(rssBefore),
      ...memory,
    };
  };

  log('full scan 1');
  const before1 = await snapshot(dataSource);
  const first = await scan('scan 1');
  const after1 = await snapshot(dataSource);
  const levels: Array<{ level: string; n: number }> = await dataSource.query(
    `SELECT risk_level AS level, count(*)::int AS n FROM institutions WHERE status IN ${REGISTERED} GROUP BY risk_level`,
  );
  const byRule: Array<{ rule: string; severity: string; n: number }> = await dataSource.query(
    `SELECT rule_code AS rule, severity, count(*)::int AS n FROM risk_flags WHERE status = 'open' GROUP BY rule_code, severity ORDER BY rule_code, severity`,
  );
  const firstChanges = changes(before1, after1);

  log('full scan 2 (should change nothing)');
  const second = await scan('scan 2');
  const after2 = await snapshot(dataSource);
  const secondChanges = changes(after1, after2);

  const explain = settings.explain ? await explainFirstBatch(app.get(RiskFactsService), dataSource) : undefined;
  const processMaxRssMb = mb(process.resourceUsage().maxRSS * 1024);

  await tearDown();

  const count = (level: string) => levels.find((row) => row.level === level)?.n ?? 0;
  const peakRssMb = Math.max(first.peakRssMb, second.peakRssMb);
  const report = {
    bench: 'risk',
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
      path: 'RiskService.fullScan() called in-process through the Nest application context (ApiModule.forRoot), PostgreSQL on the same machine',
      database: DATABASE,
      institutions: registered,
      contracts,
      rows: world.rows,
      institutionsByStatus: world.byStatus,
      bankStatementLines: settings.bankLines,
      migrateSeconds,
      loadSeconds: world.loadSeconds,
      loadSteps: world.steps,
    },
    institutions: registered,
    contracts,
    scanSeconds: { first: first.seconds, second: second.seconds },
    institutionsPerSecond: { first: first.institutionsPerSecond, second: second.institutionsPerSecond },
    levels: { red: count('red'), yellow: count('yellow'), green: count('green') },
    flagsOpened: after1.flags.size,
    flagsByRule: byRule,
    alertsRaised: after1.alerts.size,
    firstRun: { ...first, changes: firstChanges },
    secondRun: { ...second, changes: secondChanges },
    changedBetweenRuns: { flags: secondChanges.flagsOpenedOrChanged, alerts: secondChanges.alertsRaisedOrChanged, levels: secondChanges.levelsChanged },
    memory: { peakRssMb, peakHeapUsedMb: Math.max(first.peakHeapUsedMb, second.peakHeapUsedMb), processMaxRssMb, sampledEveryMs: 50 },
    baseline: {
      query: 'SELECT institution_id, count(*) FROM contracts GROUP BY institution_id',
      seconds: baselineSeconds,
      runs: baselineRuns.map((value) => round(value, 4)),
      scanToBaseline: round(first.seconds / baselineSeconds, 1),
    },
    aim: { seconds: `< ${AIM.seconds}`, peakRssMb: `< ${AIM.rssMb}` },
    aimMet: first.seconds < AIM.seconds && second.seconds < AIM.seconds && peakRssMb < AIM.rssMb,
    loadSeconds: world.loadSeconds,
    explainFirstBatch: explain,
    databaseKept: settings.keepDatabase ? DATABASE : undefined,
  };
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
}

runBench(main);
