import { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Window {
  hits: number;
  resetsAt: number;
  blockedUntil: number;
}

/**
 * Counts requests per client and throttler in fixed windows: one counter per key, O(1) a request.
 * The throttler's default storage keeps one timestamp per hit and filters them all on every request,
 * which costs O(limit) a request and made the public register's throttling most of its CPU at high
 * limits. Per process: the public lookups only (the auth limits are shared, apps/api/src/access/auth-throttles.ts).
 * A fixed window can let up to twice the limit through across a window's edge; for a per-minute
 * limit on lookups that is an accepted trade.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();

  constructor() {
    // Unreferenced: the sweep never keeps a process alive, so nothing needs to stop it.
    setInterval(() => this.forgetIdle(Date.now()), 60_000).unref();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const now = Date.now();
    const id = `${throttlerName}:${key}`;
    let window = this.windows.get(id);
    if (window && window.blockedUntil > now) return this.record(window, now, true);
    if (!window || window.resetsAt <= now) {
      window = { hits: 0, resetsAt: now + ttl, blockedUntil: 0 };
      this.windows.set(id, window);
    }
    window.hits += 1;
    if (window.hits > limit) {
      window.blockedUntil = now + blockDuration;
      return this.record(window, now, true);
    }
    return this.record(window, now, false);
  }

  private record(window: Window, now: number, isBlocked: boolean): ThrottlerStorageRecord {
    return {
      totalHits: window.hits,
      timeToExpire: Math.max(0, Math.ceil((window.resetsAt - now) / 1000)),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.max(0, Math.ceil((window.blockedUntil - now) / 1000)) : 0,
    };
  }

  private forgetIdle(now: number): void {
    for (const [id, window] of this.windows) if (window.resetsAt <= now && window.blockedUntil <= now) this.windows.delete(id);
  }
}
