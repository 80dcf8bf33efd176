import type { Redis } from 'ioredis';
import { RateLimitStore, WindowCount } from './rate-limit-store';

/**
 * INCR, PEXPIRE on the window's first hit, and PTTL, in one script: one round trip and atomic, so two
 * replicas hitting the same key at once cannot both start a window or leave a counter without expiry.
 */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {hits, ttl}`;

/** Fixed windows in Redis: every replica counts against the same key. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const [hits, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, `${this.prefix}${key}`, windowMs)) as [number, number];
    return { hits, resetsInMs: ttl };
  }
}
