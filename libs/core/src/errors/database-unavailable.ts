/** Seconds a caller is asked to wait on a 503 (the database out of reach): a restart or fail-over takes about that long. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * SQLSTATE classes and codes that say the database is unreachable or refusing work for now, not that
 * the request was wrong: 08 connection exception, 53300 too many connections, 57P01-57P03 shutting
 * down or starting up.
 */
const UNAVAILABLE_SQLSTATE = /^(08...|53300|57P0[123])$/;
/** Socket errors of node-postgres when the server is gone. */
const UNAVAILABLE_ERRNO = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);
/** node-postgres and its pool say so only in words. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection terminated unexpectedly|the database system is (starting up|shutting down)/i;

/**
 * Whether an error thrown while serving a request means the database is out of reach: the caller then
 * gets 503 with Retry-After rather than a 500 (docs/architecture.md, "Faults"). TypeORM wraps driver
 * errors (QueryFailedError.driverError); the pool throws its own.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const { code, message, driverError, cause } = error as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_ERRNO.has(code))) return true;
  if (typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message)) return true;
  return isDatabaseUnavailable(driverError, depth + 1) || isDatabaseUnavailable(cause, depth + 1);
}
