import { createHash } from 'node:crypto';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors, createParamDecorator } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { Clock, DomainError, Principal } from '@app/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, catchError, from, mergeMap, of } from 'rxjs';
import { DataSource } from 'typeorm';

const KEY_SHAPE = /^[\w.:-]{8,200}$/;
/** A claimed key whose request never finished (the process died) may be taken over after this long. */
const ABANDONED_AFTER_SECONDS = 30;

/**
 * Marks a route that moves money: it requires an Idempotency-Key header (DESIGN §5 invariant 6).
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
 * body is 409. A failed request releases its key (it changed nothing). The services also derive their
 * transfer ids from the key, so even a retry after a crash between commit and reply moves money once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
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

    const now = this.clock.now();
    const claimed = await this.dataSource.query(
      `INSERT INTO idempotency_keys (principal_id, key, request_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key`,
      [principalId, key, hash, now],
    );
    if (!claimed.length) {
      const [stored] = await this.dataSource.query(
        `SELECT request_hash AS hash, status, body, extract(epoch FROM $3::timestamptz - created_at) AS age FROM idempotency_keys WHERE principal_id = $1 AND key = $2`,
        [principalId, key, now],
      );
      if (stored.hash !== hash) throw new DomainError(409, 'IDEMPOTENCY.KEY_REUSED', 'This Idempotency-Key was used for a different request.');
      if (stored.status !== null) {
        reply.code(stored.status);
        return of(stored.body);
      }
      if (Number(stored.age) < ABANDONED_AFTER_SECONDS)
        throw new DomainError(409, 'IDEMPOTENCY.IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly.');
      await this.dataSource.query(`UPDATE idempotency_keys SET created_at = $3 WHERE principal_id = $1 AND key = $2`, [principalId, key, now]);
    }
    return next.handle().pipe(
      mergeMap((body) =>
        from(
          this.dataSource
            .query(`UPDATE idempotency_keys SET status = $3, body = $4 WHERE principal_id = $1 AND key = $2`, [
              principalId,
              key,
              status,
              JSON.stringify(body ?? null),
            ])
            .then(() => body),
        ),
      ),
      catchError((error) =>
        from(
          this.dataSource.query(`DELETE FROM idempotency_keys WHERE principal_id = $1 AND key = $2 AND status IS NULL`, [principalId, key]).then(() => {
            throw error;
          }),
        ),
      ),
    );
  }
}
