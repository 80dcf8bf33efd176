import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import type { AppConfig } from '../config/app-config';
import type { Infrastructure } from '../infrastructure/infrastructure';
import type { RateLimitRepository } from './rate-limit.repository';
import { SharedRateLimiter } from './shared-rate-limiter';

describe('SharedRateLimiter', () => {
  afterEach(() => jest.restoreAllMocks());

  const config = { get: () => 'unit' } as unknown as AppConfig;
  const infrastructure = (kind: 'redis' | 'postgres') => ({ queueBackend: { kind, url: 'redis://127.0.0.1:1' } }) as Infrastructure;

  it('counts per process while the shared store is down, and says so in the log once', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const failing = { hit: () => Promise.reject(new Error('connection refused')), forgetEnded: () => Promise.resolve(0) } as unknown as RateLimitRepository;
    const limiter = new SharedRateLimiter(infrastructure('postgres'), config, { manager: {} } as DataSource, failing, new Clock());
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await limiter.consume('auth-account:name:someone', 3, 60_000));
    expect(verdicts.map((verdict) => verdict.allowed)).toEqual([true, true, true, false]);
    expect(verdicts[3].retryAfterSeconds).toBeGreaterThan(0);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('falls back when Redis does not answer', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const limiter = new SharedRateLimiter(infrastructure('redis'), config, { manager: {} } as DataSource, {} as RateLimitRepository, new Clock());
    await expect(limiter.consume('k', 1, 60_000)).resolves.toMatchObject({ allowed: true, hits: 1 });
    await expect(limiter.consume('k', 1, 60_000)).resolves.toMatchObject({ allowed: false, hits: 2 });
    await limiter.onApplicationShutdown();
  });
});
