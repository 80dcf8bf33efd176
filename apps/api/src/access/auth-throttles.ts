import { applyDecorators, UseGuards } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard, ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerOptions } from '@nestjs/throttler';
import { SharedRateLimiter } from '@app/core';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** The throttlers of the auth routes: per client address and per account, both shared across replicas. */
export const AUTH_THROTTLERS = ['auth-client', 'auth-account'] as const;
export const PUBLIC_THROTTLER = 'public';

interface AuthRequest {
  ip?: string;
  body?: { username?: unknown; phone?: unknown };
  user?: { id: string };
}

/**
 * The account an auth request is about: the login name (a parent signs up with the phone number), or the
 * caller for a password change. One account cannot be guessed at, or its name probed by sign-ups, from
 * many addresses; one address cannot try many accounts.
 */
export function accountOf(request: AuthRequest): string {
  const name = [request.body?.username, request.body?.phone].find((value) => typeof value === 'string' && value);
  if (typeof name === 'string') return `name:${name.toLowerCase()}`;
  return request.user ? `user:${request.user.id}` : `client:${request.ip}`;
}

/** One counter per tracker across every auth route (the throttler's default key is per route). */
const sharedKey = (_context: unknown, tracker: string) => tracker;

export function authThrottlers(clientLimit: number, accountLimit: number): ThrottlerOptions[] {
  return [
    { name: 'auth-client', ttl: 60_000, limit: clientLimit, getTracker: (request: AuthRequest) => `${request.ip}`, generateKey: sharedKey },
    { name: 'auth-account', ttl: 60_000, limit: accountLimit, getTracker: (request: AuthRequest) => accountOf(request), generateKey: sharedKey },
  ];
}

/** An auth route (login, sign-up, password change): both auth throttlers, not the public one. */
export const AuthThrottled = () => applyDecorators(UseGuards(ThrottlerGuard), SkipThrottle({ [PUBLIC_THROTTLER]: true }));

/**
 * The public lookups count per process (FixedWindowThrottlerStorage: behind N replicas the limit is N× the
 * setting, accepted for a cheap lookup); the auth throttlers count in the shared limiter, so a guesser
 * gains nothing from replicas.
 */
export class ThrottlerStorageByName implements ThrottlerStorage {
  private readonly local = new FixedWindowThrottlerStorage();

  constructor(private readonly shared: SharedRateLimiter) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (throttlerName === PUBLIC_THROTTLER) return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    const verdict = await this.shared.consume(`${throttlerName}:${key}`, limit, ttl);
    return {
      totalHits: verdict.hits,
      timeToExpire: verdict.retryAfterSeconds,
      isBlocked: !verdict.allowed,
      timeToBlockExpire: verdict.allowed ? 0 : verdict.retryAfterSeconds,
    };
  }
}
