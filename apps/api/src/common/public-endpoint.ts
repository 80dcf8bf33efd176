import { UseGuards, applyDecorators } from '@nestjs/common';
import { SkipThrottle, Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@app/core';

/** A /public controller: no login, rate-limited per client address by the `public` throttler only. */
export const PublicEndpoint = () => applyDecorators(Public(), UseGuards(ThrottlerGuard), SkipThrottle({ login: true }), Throttle({ public: {} }));
