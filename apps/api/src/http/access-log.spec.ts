import { Writable } from 'node:stream';
import Fastify, { FastifyInstance } from 'fastify';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { logRequests } from './access-log';

/** The access log's lines as written, through a root logger that nestjs-pino has also wrapped (as in the API). */
async function linesFor(route: (fastify: FastifyInstance) => void, url: string): Promise<Array<Record<string, unknown>>> {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
  const logger = pino({ level: 'info' }, sink);
  pinoHttp({ logger }); // what LoggingModule does: its std `res` serializer must not reach the access log
  const fastify = Fastify();
  logRequests(fastify, logger);
  route(fastify);
  await fastify.inject({ url });
  await fastify.close();
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('logRequests', () => {
  it('writes the answered status code, at info for a success', async () => {
    const [line] = await linesFor((fastify) => fastify.get('/ok', async () => ({ ok: true })), '/ok?x=1');
    expect(line).toMatchObject({ msg: 'request completed', level: 30, req: { method: 'GET', url: '/ok?x=1' }, res: { statusCode: 200 } });
  });

  it('writes a 5xx at error with its status code', async () => {
    const [line] = await linesFor(
      (fastify) =>
        fastify.get('/boom', async (_request, reply) => {
          await reply.code(503).send({ down: true });
        }),
      '/boom',
    );
    expect(line).toMatchObject({ msg: 'request errored', level: 50, res: { statusCode: 503 } });
  });
});
