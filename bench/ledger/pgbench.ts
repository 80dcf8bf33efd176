import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { CpuUse, cpuMeter, round } from './load';

const run = promisify(execFile);

/** pgbench on PATH, else PostgreSQL 15's own copy. */
export function pgbenchBinary(): string {
  const fallback = '/usr/lib/postgresql/15/bin/pgbench';
  const onPath = (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(`${dir}/pgbench`));
  return onPath ? 'pgbench' : fallback;
}

export interface PgbenchResult {
  command: string;
  scale: number;
  clients: number;
  threads: number;
  durationSeconds: number;
  tps: number;
  latencyAverageMs: number | null;
  transactions: number | null;
  initSeconds: number;
  cpu: CpuUse & { postgresMsPerTransaction: number | null };
}

/**
 * The baseline: pgbench's built-in tpcb-like script (5 statements and a commit per transaction) on
 * the same server, in its own database, which the caller creates and drops.
 */
export async function pgbench(
  serverUrl: string,
  database: string,
  options: { scale: number; clients: number; threads: number; durationSeconds: number },
): Promise<PgbenchResult> {
  const url = new URL(serverUrl);
  const connection = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
  const env = { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) };
  const binary = pgbenchBinary();
  const started = performance.now();
  await run(binary, [...connection, '-i', '-q', '-s', String(options.scale), database], { env, maxBuffer: 16 * 1024 * 1024 });
  const initSeconds = Math.round(performance.now() - started) / 1000;
  const args = ['-c', String(options.clients), '-j', String(options.threads), '-T', String(options.durationSeconds), '-n'];
  const stopMeter = cpuMeter(database);
  const { stdout } = await run(binary, [...connection, ...args, database], { env, maxBuffer: 16 * 1024 * 1024 });
  const cpu = stopMeter();
  const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout) ?? /tps = ([\d.]+)/.exec(stdout);
  if (!tps) throw new Error(`could not read tps from pgbench's output:\n${stdout}`);
  const latency = /latency average = ([\d.]+) ms/.exec(stdout);
  const transactions = /number of transactions actually processed: (\d+)/.exec(stdout);
  return {
    command: `pgbench ${args.join(' ')} (after pgbench -i -s ${options.scale})`,
    scale: options.scale,
    clients: options.clients,
    threads: options.threads,
    durationSeconds: options.durationSeconds,
    tps: Math.round(Number(tps[1]) * 10) / 10,
    latencyAverageMs: latency ? Number(latency[1]) : null,
    transactions: transactions ? Number(transactions[1]) : null,
    initSeconds,
    cpu: { ...cpu, postgresMsPerTransaction: transactions ? round(cpu.postgresMs / Number(transactions[1]), 3) : null },
  };
}
