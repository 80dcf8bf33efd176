import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

/** Throttles login per client address and username, so one account cannot be guessed at from one place. */
@Injectable()
export class LoginThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(request: { ip?: string; body?: { username?: unknown } }): Promise<string> {
    const username = typeof request.body?.username === 'string' ? request.body.username.toLowerCase() : '';
    return `${request.ip}:${username}`;
  }
}
