/** One fixed window's count after a hit: how many hits so far and when the window ends. */
export interface WindowCount {
  hits: number;
  resetsInMs: number;
}

/** Counts hits on a key in fixed windows of `windowMs`; one counter per key, O(1) a hit. */
export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<WindowCount>;
}

/**
 * Counters in this process only: the public lookups' limit, and the auth limits' fallback while the
 * shared store is down (then each replica counts on its own, so N replicas let N× the limit through).
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, { hits: number; resetsAt: number }>();

  /** `now` in milliseconds: the platform's Clock, so a test that moves time ends windows too. */
  constructor(private readonly now: () => number) {
    // Unreferenced: the sweep never keeps a process alive, so nothing needs to stop it.
    setInterval(() => this.forgetEnded(this.now()), 60_000).unref();
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.resetsAt <= now) {
      window = { hits: 0, resetsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.hits += 1;
    return { hits: window.hits, resetsInMs: window.resetsAt - now };
  }

  private forgetEnded(now: number): void {
    for (const [key, window] of this.windows) if (window.resetsAt <= now) this.windows.delete(key);
  }
}
