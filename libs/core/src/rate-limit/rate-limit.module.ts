import { Global, Module } from '@nestjs/common';
import { RateLimitRepository } from './rate-limit.repository';
import { SharedRateLimiter } from './shared-rate-limiter';

/**
 * The shared rate limiter, for the processes that take requests (the API imports it): global, so a
 * service of any lib may inject SharedRateLimiter; the worker does not import it and opens no Redis
 * connection for it.
 */
@Global()
@Module({ providers: [RateLimitRepository, SharedRateLimiter], exports: [SharedRateLimiter] })
export class RateLimitModule {}
