/**
 * Says a repeated warning at most once per `intervalMs` per kind, with how many were held back since
 * the last one: an outage (Redis, the database) raises the same warning from every retry and every
 * request, which would drown the log and the disk just when someone reads them.
 */
export class RateLimitedLog {
  private readonly kinds = new Map<string, { lastAt: number; suppressed: number }>();

  constructor(
    private readonly write: (message: string) => void,
    private readonly intervalMs = 30_000,
    // Wall time, not the business Clock: it spaces log lines, no rule reads it.
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes `message` unless `kind` was written less than the interval ago; returns whether it was written. */
  say(kind: string, message: string): boolean {
    const at = this.now();
    const seen = this.kinds.get(kind);
    if (seen && at - seen.lastAt < this.intervalMs) {
      seen.suppressed += 1;
      return false;
    }
    const held = seen?.suppressed ? ` (${seen.suppressed} more like it in the last ${Math.round((at - seen.lastAt) / 1000)} s)` : '';
    this.write(`${message}${held}`);
    this.kinds.set(kind, { lastAt: at, suppressed: 0 });
    return true;
  }
}
