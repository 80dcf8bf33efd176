import { Environment } from '../config/environment';
import { startEmbeddedPostgres } from './embedded-postgres';

export type QueueBackendConnection = { kind: 'redis'; url: string } | { kind: 'postgres'; url: string };

/** Where the system of record and the queue backend are: the one decision every other module reads. */
export interface Infrastructure {
  databaseUrl: string;
  queueBackend: QueueBackendConnection;
  embedded: boolean;
  close(): Promise<void>;
}

export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');

/**
 * DATABASE_URL set → that PostgreSQL, else the embedded default under DATA_DIR.
 * REDIS_URL set → BullMQ on Redis, else BullMQ's PostgreSQL backend on the same database.
 */
export async function resolveInfrastructure(environment: Environment, log: (line: string) => void = () => undefined): Promise<Infrastructure> {
  const embedded = environment.DATABASE_URL ? undefined : await startEmbeddedPostgres(environment.DATA_DIR, log);
  const databaseUrl = environment.DATABASE_URL ?? embedded!.url;
  return {
    databaseUrl,
    queueBackend: environment.REDIS_URL ? { kind: 'redis', url: environment.REDIS_URL } : { kind: 'postgres', url: databaseUrl },
    embedded: Boolean(embedded),
    close: async () => embedded?.stop(),
  };
}
