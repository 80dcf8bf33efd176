import { ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ProblemFilter } from './problem.filter';

const answer = (exception: unknown) => {
  const reply = { sent: false, code: jest.fn(), type: jest.fn(), header: jest.fn(), send: jest.fn() };
  for (const fn of [reply.code, reply.type, reply.header]) fn.mockReturnValue(reply);
  const host = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({ url: '/api/v1/x?y=1' }) }) } as unknown as ArgumentsHost;
  new ProblemFilter().catch(exception, host);
  return { reply, body: JSON.parse(reply.send.mock.calls[0][0] as string) as Record<string, unknown> };
};

describe('ProblemFilter', () => {
  it.each([
    ['the pool cannot connect', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['the connection dropped', new Error('Connection terminated unexpectedly')],
    ['the pool timed out', new Error('timeout exceeded when trying to connect')],
    [
      'the server is shutting down (57P01, wrapped by TypeORM)',
      new QueryFailedError('SELECT 1', [], Object.assign(new Error('terminating connection'), { code: '57P01' })),
    ],
    ['the server refuses connections (08006)', Object.assign(new Error('connection failure'), { code: '08006' })],
  ])('answers 503 SERVICE.UNAVAILABLE with Retry-After when %s', (_, error) => {
    const { reply, body } = answer(error);
    expect(reply.code).toHaveBeenCalledWith(503);
    expect(reply.header).toHaveBeenCalledWith('Retry-After', '5');
    expect(body).toMatchObject({ status: 503, code: 'SERVICE.UNAVAILABLE', instance: '/api/v1/x' });
  });

  it('still answers 500 for a bug, or a query the database refused', () => {
    expect(answer(new TypeError('x is undefined')).body).toMatchObject({ status: 500, code: 'INTERNAL' });
    expect(answer(new QueryFailedError('SELECT', [], Object.assign(new Error('syntax'), { code: '42601' }))).body).toMatchObject({ status: 500 });
  });
});
