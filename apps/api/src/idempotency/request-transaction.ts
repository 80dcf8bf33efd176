import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource, EntityManager } from 'typeorm';

/** The manager of the request transaction open in this async context, if any. */
const current = new AsyncLocalStorage<EntityManager>();
const joined = new WeakSet<DataSource>();

/**
 * Makes `dataSource.transaction(work)` join the request transaction open in the caller's context, if
 * any: `work` then runs in it (no savepoint, so any error rolls the whole request back) instead of in
 * a transaction of its own. Services keep opening their transactions as they always did; outside a
 * request transaction nothing changes. TypeORM's `DataSource.transaction` is `this.manager.transaction`,
 * so `manager` becomes a getter that answers the joined manager while one is open.
 */
function joinRequestTransactions(dataSource: DataSource): void {
  if (joined.has(dataSource)) return;
  joined.add(dataSource);
  const own = dataSource.manager;
  Object.defineProperty(dataSource, 'manager', { configurable: true, get: () => current.getStore() ?? own });
}

/**
 * Runs `work` in one transaction that the services it calls join (see above): a money-moving request's
 * Idempotency-Key record and the money movement commit together, or not at all.
 */
export function inRequestTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  joinRequestTransactions(dataSource);
  return dataSource.transaction((manager) => {
    const runInThis = <R>(isolationOrWork: unknown, maybeWork?: (manager: EntityManager) => Promise<R>) =>
      (typeof isolationOrWork === 'function' ? (isolationOrWork as (manager: EntityManager) => Promise<R>) : maybeWork!)(manager);
    const joinable = Object.create(manager, { transaction: { value: runInThis } }) as EntityManager;
    return current.run(joinable, () => work(manager));
  });
}
