import { createHash } from 'node:crypto';
import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Clock } from '@app/core';
import { lastValueFrom, of } from 'rxjs';
import { DataSource } from 'typeorm';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';

/** A data source whose transactions just run their work: the repository below is the fake that matters. */
const dataSource = () => ({ manager: {}, transaction: (work: (manager: object) => unknown) => work({}) }) as unknown as DataSource;

const context = () => {
  const reply = { code: jest.fn() };
  const request = {
    method: 'POST',
    url: '/api/v1/contracts/c1/payments',
    body: { amountFen: 1 },
    headers: { 'idempotency-key': 'key-00000001' },
    user: { id: 'p1' },
  };
  return {
    reply,
    context: {
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
      getHandler: () => () => undefined,
    } as unknown as ExecutionContext,
  };
};

describe('IdempotencyInterceptor', () => {
  it('claims the key again when its holder let go between the refused claim and the read (it was a 500)', async () => {
    const keys = {
      // The first claim meets the holder; by the time we read, the holder rolled back and the key is free.
      claim: jest.fn().mockResolvedValueOnce(false).mockResolvedValueOnce(true),
      find: jest.fn().mockResolvedValueOnce(undefined),
      recordAnswer: jest.fn().mockResolvedValue(undefined),
    };
    const interceptor = new IdempotencyInterceptor(new Reflector(), dataSource(), new Clock(), keys as unknown as IdempotencyRepository);
    const answer = await lastValueFrom(await interceptor.intercept(context().context, { handle: () => of({ id: 'order-1' }) }));
    expect(answer).toEqual({ id: 'order-1' });
    expect(keys.claim).toHaveBeenCalledTimes(2);
    expect(keys.recordAnswer).toHaveBeenCalledWith({}, 'p1', 'key-00000001', 201, { id: 'order-1' });
  });

  it('takes over an unanswered claim only while it is still unanswered: a concurrent taker that won answers both', async () => {
    const hash = createHash('sha256').update('POST /api/v1/contracts/c1/payments {"amountFen":1}').digest('hex');
    const keys = {
      claim: jest.fn().mockResolvedValue(false),
      find: jest
        .fn()
        .mockResolvedValueOnce({ hash, status: null, body: null })
        .mockResolvedValueOnce({ hash, status: 201, body: { id: 'by-the-other-taker' } }),
      takeOver: jest.fn().mockResolvedValue(false),
      recordAnswer: jest.fn(),
    };
    const interceptor = new IdempotencyInterceptor(new Reflector(), dataSource(), new Clock(), keys as unknown as IdempotencyRepository);
    const { context: ctx, reply } = context();
    const handle = jest.fn(() => of({ id: 'again' }));
    expect(await lastValueFrom(await interceptor.intercept(ctx, { handle }))).toEqual({ id: 'by-the-other-taker' });
    expect(handle).not.toHaveBeenCalled();
    expect(reply.code).toHaveBeenCalledWith(201);
  });

  it('tells the caller to retry when the key keeps being released under it', async () => {
    const keys = { claim: jest.fn().mockResolvedValue(false), find: jest.fn().mockResolvedValue(undefined), recordAnswer: jest.fn() };
    const interceptor = new IdempotencyInterceptor(new Reflector(), dataSource(), new Clock(), keys as unknown as IdempotencyRepository);
    await expect(lastValueFrom(await interceptor.intercept(context().context, { handle: () => of({}) }))).rejects.toMatchObject({
      status: 409,
      code: 'IDEMPOTENCY.KEY_BUSY',
    });
  });
});
