import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { INFRASTRUCTURE, Infrastructure } from '../infrastructure/infrastructure';
import { MemoryRateLimitStore, RateLimitStore, WindowCount } from './rate-limit-store';
import { RateLimitRepository } from './rate-limit.repository';
import { RedisRateLimitStore } from './redis-rate-limit.store';

export interface RateLimitVerdict {
  allowed: boolean;
  /** Hits in the current window, this one included. */
  hits: number;
  /** Seconds until the window ends (a `Retry-After` when refused). */
  retryAfterSeconds: number;
}

/**
 * A limit every replica shares (docs/decisions.md, "Security"): fixed-window counters in Redis when
 * REDIS_URL is set, in PostgreSQL otherwise (the embedded default). While the shared store does not
 * answer, each process counts on its own, and says so in the log once per outage. Used by the auth
 * throttles; any other limit (complaints a day, say) can call `consume` with a key of its own.
 */
@Injectable()
export class SharedRateLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger(SharedRateLimiter.name);
  private readonly fallback: MemoryRateLimitStore;
  private readonly redis?: IORedis;
  private readonly shared: RateLimitStore;
  private degraded = false;
  private hitsSinceSweep = 0;

  constructor(
    @Inject(INFRASTRUCTURE) infrastructure: Infrastructure,
    config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly windows: RateLimitRepository,
    private readonly clock: Clock,
  ) {
    this.fallback = new MemoryRateLimitStore(() => clock.now().getTime());
    if (infrastructure.queueBackend.kind === 'redis') {
      // Fail fast while Redis is down: a login waits for no reconnect, it falls back to this process.
      this.redis = new IORedis(infrastructure.queueBackend.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: true });
      this.redis.on('error', () => undefined); // reported through the fallback's log line
      this.redis.connect().catch(() => undefined);
      this.shared = new RedisRateLimitStore(this.redis, `${config.get('QUEUE_PREFIX')}:rate-limit:`);
    } else {
      this.shared = { hit: (key, windowMs) => this.hitInDatabase(key, windowMs) };
    }
  }

  get backend(): 'redis' | 'postgres' {
    return this.redis ? 'redis' : 'postgres';
  }

  /** Counts one hit on `key` and says whether it is within `limit` hits per `windowMs`. */
  async consume(key: string, limit: number, windowMs: number): Promise<RateLimitVerdict> {
    const count = await this.hit(key, windowMs);
    return { allowed: count.hits <= limit, hits: count.hits, retryAfterSeconds: Math.max(1, Math.ceil(count.resetsInMs / 1000)) };
  }

  private async hit(key: string, windowMs: number): Promise<WindowCount> {
    try {
      const count = await this.shared.hit(key, windowMs);
      if (this.degraded) {
        this.degraded = false;
        this.logger.log(`the ${this.backend} rate-limit store answers again: limits are shared across replicas`);
      }
      return count;
    } catch (error) {
      if (!this.degraded) {
        this.degraded = true;
        this.logger.warn(`the ${this.backend} rate-limit store does not answer (${(error as Error).message}): limits count per process until it does`);
      }
      return this.fallback.hit(key, windowMs);
    }
  }

  private async hitInDatabase(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.clock.now();
    if (++this.hitsSinceSweep >= 1000) {
      this.hitsSinceSweep = 0;
      await this.windows.forgetEnded(this.dataSource.manager, now);
    }
    const row = await this.windows.hit(this.dataSource.manager, key, now, windowMs);
    return { hits: row.hits, resetsInMs: row.resetsAt.getTime() - now.getTime() };
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
  }
}
