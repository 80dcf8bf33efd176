import { UseGuards, applyDecorators } from '@nestjs/common';
import { SkipThrottle, Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '@app/core';
import { AUTH_THROTTLERS } from '../access/auth-throttles';

/** A /public controller: no login, rate-limited per client address by the `public` throttler only. */
export const PublicEndpoint = () =>
  applyDecorators(Public(), UseGuards(ThrottlerGuard), SkipThrottle(Object.fromEntries(AUTH_THROTTLERS.map((name) => [name, true]))), Throttle({ public: {} }));
