import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { TestPlatform } from './platform';
import { TcpProxy } from './tcp-proxy';

/** A built process of the platform (dist/, as npm test builds it) started by a test, with its output kept for failures. */
export interface PlatformProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  /** Ends it (SIGTERM, then SIGKILL after `graceMs`) and waits for it to exit. */
  stop(graceMs?: number): Promise<void>;
  /** Ends it at once (SIGKILL), as a crash would, and waits for it to exit. */
  crash(): Promise<void>;
}

const DIST = join(__dirname, '../../dist');

export const freePort = async (): Promise<number> => (await TcpProxy.onFreePort({ host: '127.0.0.1', port: 0 })).port;

export function startBuilt(name: string, script: 'api' | 'worker', env: Record<string, string>): PlatformProcess {
  const child = spawn(process.execPath, [join(DIST, `apps/${script}/src/main.js`)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return {
    name,
    child,
    output: () => output,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A built worker on a test platform's database and queues, its schedulers off: the test adds the jobs. */
export function startWorkerOf(platform: TestPlatform): PlatformProcess {
  const { DATABASE_URL, REDIS_URL, QUEUE_PREFIX, JWT_SECRET } = platform.environment;
  const set = Object.entries({ DATABASE_URL, REDIS_URL, QUEUE_PREFIX, JWT_SECRET }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return startBuilt('worker', 'worker', { ...Object.fromEntries(set), NODE_ENV: 'test', LOG_LEVEL: 'silent', ENABLE_SCHEDULERS: 'false' });
}
