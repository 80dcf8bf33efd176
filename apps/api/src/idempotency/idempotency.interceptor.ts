import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors, createParamDecorator } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { Clock, DomainError, Principal } from '@app/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, from, lastValueFrom } from 'rxjs';
import { DataSource, EntityManager } from 'typeorm';
import { IdempotencyRepository, StoredIdempotencyKey } from './idempotency.repository';
import { inRequestTransaction } from './request-transaction';

const KEY_SHAPE = /^[\w.:-]{8,200}$/;
/** A key released under our feet again and again is a storm of retries: the caller is told to retry. */
const CLAIM_ATTEMPTS = 5;

/**
 * Marks a route that moves money: it requires an Idempotency-Key header (docs/architecture.md, "Idempotency").
 * The interceptor is bound to these routes only, not globally: every other request (the public register
 * above all) skips Nest's interceptor chain and its per-request cost.
 */
export const MoneyMoving = () => UseInterceptors(IdempotencyInterceptor);

const keyOf = (request: FastifyRequest): string | undefined => {
  const key = request.headers['idempotency-key'];
  return typeof key === 'string' ? key : undefined;
};

/** The request's Idempotency-Key, for services that derive deterministic ids from it. */
export const IdempotencyKey = createParamDecorator((_: unknown, context: ExecutionContext): string =>
  keyOf(context.switchToHttp().getRequest<FastifyRequest>())!,
);

/**
 * A retry with the same key gets the first answer and changes nothing; the same key with another
 * body is 409. The key's record and the money movement are one transaction (inRequestTransaction):
 * both commit, or neither, so a failed or crashed request leaves no claim behind, and a concurrent
 * retry waits for the first request's outcome instead of being refused. The services also derive their
 * transfer ids from the key, so even a retry after a crash between commit and reply moves money once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly keys: IdempotencyRepository,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user: Principal }>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const key = keyOf(request);
    if (!key || !KEY_SHAPE.test(key)) {
      throw new DomainError(
        400,
        'IDEMPOTENCY.KEY_REQUIRED',
        'This request moves money: send an Idempotency-Key header (8-200 letters, digits, _ . : or -), the same on every retry.',
      );
    }
    const hash = createHash('sha256')
      .update(`${request.method} ${request.url.split('?')[0]} ${JSON.stringify(request.body ?? {})}`)
      .digest('hex');
    const principalId = request.user.id;
    const status = this.reflector.get<number>(HTTP_CODE_METADATA, context.getHandler()) ?? (request.method === 'POST' ? 201 : 200);

    return from(
      inRequestTransaction(this.dataSource, async (manager) => {
        const stored = await this.claimOrFind(manager, principalId, key, hash);
        if (stored) {
          reply.code(stored.status);
          return stored.body;
        }
        const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
        await this.keys.recordAnswer(manager, principalId, key, status, body);
        return body;
      }),
    );
  }

  /**
   * Claims the key (undefined), or returns the answer of the request that held it (409 for another
   * body). The holder may let go between our refused INSERT and our SELECT (its transaction rolled back, or retention removed the
   * key): the SELECT then finds nothing and the key is free, so it is claimed again rather than read as
   * a record (which was a 500).
   */
  private async claimOrFind(
    manager: EntityManager,
    principalId: string,
    key: string,
    hash: string,
  ): Promise<(StoredIdempotencyKey & { status: number }) | undefined> {
    for (let attempt = 1; ; attempt++) {
      if (await this.keys.claim(manager, principalId, key, hash, this.clock.now())) return undefined;
      const stored = await this.keys.find(manager, principalId, key);
      if (stored && stored.hash !== hash) {
        throw new DomainError(409, 'IDEMPOTENCY.KEY_REUSED', 'This Idempotency-Key was used for a different request.');
      }
      if (stored?.status != null) return { ...stored, status: stored.status };
      // A claim without an answer is one the earlier, separately committed scheme left when its request
      // never finished (claims made here commit with their answer): the request runs now, if we are the
      // one that takes it over; a concurrent taker that won has answered by the time we look again.
      if (stored && (await this.keys.takeOver(manager, principalId, key, hash, this.clock.now()))) return undefined;
      if (attempt === CLAIM_ATTEMPTS) {
        throw new DomainError(409, 'IDEMPOTENCY.KEY_BUSY', 'Another request with this Idempotency-Key is in progress: retry shortly.');
      }
    }
  }
}
