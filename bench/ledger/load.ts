import { RequestContext, Principal } from '@app/core';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { Client } from 'pg';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';

/** The measuring tools of bench/ledger: the load loops, statement counts, CPU meters, activity samples. */

let requests = 0;

/** Runs `work` as a request of `principal` would: with a request id and the caller set for audit and outbox. */
export function asCaller<T>(principal: Principal, work: () => Promise<T>): Promise<T> {
  return RequestContext.run(`bench-ledger-${++requests}`, () => {
    RequestContext.setPrincipal(principal);
    return work();
  });
}

export interface LoopResult {
  clients: number;
  operations: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: Record<string, number>;
  statements: number;
}

/**
 * `clients` concurrent async loops; each asks `next(loop)` for its next operation until the deadline
 * passes or it answers undefined. Only operations that succeed count; failures are tallied by code.
 */
export async function runLoops(clients: number, seconds: number, next: (loop: number) => (() => Promise<unknown>) | undefined): Promise<LoopResult> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  const statementsBefore = statementCounter.total;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, loop) => {
      while (performance.now() < deadline) {
        const operation = next(loop);
        if (!operation) return;
        const t = performance.now();
        try {
          await operation();
          latencies.push(performance.now() - t);
        } catch (error) {
          const code = (error as { code?: string }).code ?? (error as Error).message.slice(0, 80);
          errors[code] = (errors[code] ?? 0) + 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies.length ? round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))], 2) : 0);
  return {
    clients,
    operations: latencies.length,
    seconds: round(elapsed, 3),
    perSecond: round(latencies.length / elapsed, 1),
    latencyMs: {
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: at(1),
      mean: latencies.length ? round(latencies.reduce((s, v) => s + v, 0) / latencies.length, 2) : 0,
    },
    errors,
    statements: statementCounter.total - statementsBefore,
  };
}

export const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Counts the statements the application sends (every QueryRunner.query, including START TRANSACTION
 * and COMMIT), by their first words, and the wall time until each answered, so the report can say how
 * many statements one operation costs and where a long phase spends its time.
 */
export const statementCounter = {
  total: 0,
  byShape: new Map<string, { count: number; ms: number }>(),
  install(): void {
    const original = PostgresQueryRunner.prototype.query;
    PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, query: string, ...rest: unknown[]) {
      statementCounter.total++;
      const shape = query.slice(0, 160).replace(/\s+/g, ' ').trim().slice(0, 90);
      let entry = statementCounter.byShape.get(shape);
      if (!entry) statementCounter.byShape.set(shape, (entry = { count: 0, ms: 0 }));
      entry.count++;
      const started = performance.now();
      const answer = (original as (...args: unknown[]) => Promise<unknown>).call(this, query, ...rest);
      const done = () => void (entry.ms += performance.now() - started);
      answer.then(done, done);
      return answer;
    } as typeof original;
  },
  /** The statements sent since `snapshot`, per operation (count and ms until answered), most frequent first. */
  since(snapshot: Map<string, { count: number; ms: number }>, operations: number): Array<{ statement: string; perOperation: number; msPerOperation: number }> {
    return [...statementCounter.byShape.entries()]
      .map(([statement, now]) => {
        const before = snapshot.get(statement) ?? { count: 0, ms: 0 };
        return { statement, perOperation: round((now.count - before.count) / operations, 2), msPerOperation: round((now.ms - before.ms) / operations, 3) };
      })
      .filter((row) => row.perOperation > 0)
      .sort((a, b) => b.perOperation - a.perOperation || b.msPerOperation - a.msPerOperation);
  },
  snapshot(): Map<string, { count: number; ms: number }> {
    return new Map([...statementCounter.byShape.entries()].map(([shape, entry]) => [shape, { ...entry }]));
  },
};

/**
 * Samples pg_stat_activity for the bench database every `everyMs` on its own connection while a phase
 * runs: what the server's backends were doing (on CPU, waiting for a lock, for WAL flush, for the
 * client…), as shares of the samples of active backends, plus the idle-in-transaction share (the
 * backend waits for Node to send the next statement of an open transaction).
 */
export async function sampleActivity(databaseUrl: string, everyMs = 50): Promise<() => Promise<Record<string, number>>> {
  const client = new Client({ connectionString: databaseUrl, application_name: 'bench-ledger-sampler' });
  await client.connect();
  const counts: Record<string, number> = {};
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ state: string; wait: string | null }>(
        `SELECT state, CASE WHEN wait_event IS NULL THEN NULL ELSE wait_event_type || ':' || wait_event END AS wait
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
           AND application_name <> 'bench-ledger-sampler' AND state IN ('active', 'idle in transaction')`,
      );
      samples++;
      for (const row of rows) {
        const key = row.state === 'idle in transaction' ? 'idle in transaction (waiting for Node)' : (row.wait ?? 'on CPU');
        counts[key] = (counts[key] ?? 0) + 1;
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    await client.end();
    // Average number of backends in each state per sample.
    return Object.fromEntries(
      Object.entries(counts)
        .sort((a, b) => b[1] - a[1])
        .map(([key, n]) => [key, round(n / Math.max(1, samples), 2)]),
    );
  };
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Whether a process is a PostgreSQL backend of the database, by pid (a title is read once per pid). */
const backendOf = new Map<number, string | null>();

/** CPU time (ms) of the PostgreSQL processes serving `database`: backends whose title names it. */
function postgresCpuMs(database: string): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (!backendOf.has(pid)) {
        const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
        backendOf.set(pid, title.startsWith('postgres:') ? (/^postgres: \S+ \S+ (\S+) /.exec(title)?.[1] ?? null) : null);
      }
      if (backendOf.get(pid) !== database) continue;
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      byPid.set(pid, (Number(fields[11]) + Number(fields[12])) * TICK_MS); // utime, stime
    } catch {
      backendOf.delete(pid); // the process ended while we looked
    }
  }
  return byPid;
}

/** Time (ms) some runnable task of the machine waited for a CPU (pressure stall information). */
function cpuPressureMs(): number | null {
  try {
    const some = /some .* total=(\d+)/.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return some ? Number(some[1]) / 1000 : null;
  } catch {
    return null;
  }
}

export interface CpuUse {
  /** CPU ms of this Node process (the application and the load loops). */
  nodeMs: number;
  /** CPU ms of the PostgreSQL backends of the bench database. */
  postgresMs: number;
  /** Share of the wall time in which some task of the machine waited for a CPU: contention, ours or others'. */
  cpuPressure: number | null;
}

/**
 * Starts measuring CPU use; the returned function stops and answers. The PostgreSQL processes are
 * polled every 250 ms so that backends which start and end within the phase (pgbench's) count too.
 */
export function cpuMeter(database: string): () => CpuUse {
  const node = process.cpuUsage();
  const first = postgresCpuMs(database);
  const last = new Map(first);
  const poll = () => {
    for (const [pid, ms] of postgresCpuMs(database)) last.set(pid, ms);
  };
  const timer = setInterval(poll, 250);
  const pressure = cpuPressureMs();
  const started = performance.now();
  return () => {
    clearInterval(timer);
    poll();
    const nodeUsed = process.cpuUsage(node);
    let postgresMs = 0;
    for (const [pid, ms] of last) postgresMs += ms - (first.get(pid) ?? 0);
    const pressureNow = cpuPressureMs();
    const wall = performance.now() - started;
    return {
      nodeMs: round((nodeUsed.user + nodeUsed.system) / 1000),
      postgresMs: round(postgresMs),
      cpuPressure: pressure === null || pressureNow === null ? null : round((pressureNow - pressure) / wall, 2),
    };
  };
}

/**
 * With BENCH_PROFILE_DIR set, records a V8 CPU profile of this process during one phase and writes it
 * there as <phase>.cpuprofile (open it in Chrome DevTools); otherwise does nothing.
 */
export async function cpuProfile(phase: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (!dir) return async () => undefined;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: object };
    writeFileSync(join(dir, `${phase}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}
