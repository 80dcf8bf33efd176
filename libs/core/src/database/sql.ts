import type { DataSource, EntityManager } from 'typeorm';

/**
 * What a repository query runs on: the caller's transaction (an EntityManager from
 * `dataSource.transaction`) or the pool (`dataSource.manager`). Repositories never open transactions;
 * services do, and hand the manager down (docs/architecture.md, "Repositories").
 */
export type Db = Pick<EntityManager, 'query'>;

/** Rows of a SELECT (or of an INSERT … RETURNING, which the driver answers the same way). */
export function rows<T>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  return db.query(sql, params);
}

/** The first row, or undefined. */
export async function firstRow<T>(db: Db, sql: string, params: unknown[] = []): Promise<T | undefined> {
  const [row] = await rows<T>(db, sql, params);
  return row;
}

/**
 * The rows an UPDATE or DELETE … RETURNING touched. TypeORM answers those statements with
 * `[rows, affectedCount]` rather than the rows themselves; this is the one place that unwraps it.
 */
export async function changedRows<T>(db: Db, sql: string, params: unknown[] = []): Promise<T[]> {
  const result: unknown = await db.query(sql, params);
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? (result[0] as T[]) : (result as T[]);
}

/** How many rows an UPDATE or DELETE changed. */
export async function changedCount(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  const result: unknown = await db.query(sql, params);
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}

/**
 * Runs `work` on a connection of its own, committed at once, whatever becomes of the caller's
 * transaction: for the rare write that must outlive a refusal (the alert behind a refused bank receipt),
 * since a money-moving request's transaction rolls back with its refusal.
 */
export async function onOwnConnection<T>(dataSource: DataSource, work: (db: Db) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  try {
    return await work(runner.manager);
  } finally {
    await runner.release();
  }
}

/**
 * Row locks, one mode everywhere (docs/architecture.md, "Money: transactions and locks"): FOR NO KEY
 * UPDATE, so foreign-key checks of rows that reference the locked one (KEY SHARE) are not blocked.
 */
export const LOCK = 'FOR NO KEY UPDATE';
