import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';

/** Probes and scrapes would drown the log. */
const unlogged = (url: string) => url.startsWith('/health') || url === '/metrics';

/**
 * One JSON line per answered request, with its id, method, URL, status and time (what pino-http wrote
 * on Express): `request completed` at info, `request errored` at error for a 5xx. The root logger masks
 * mobile numbers in the URL. At a level that writes neither, no hook is added at all.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  if (!logger.isLevelEnabled('error')) return;
  fastify.addHook('onResponse', (request, reply, done) => {
    if (!unlogged(request.url)) {
      const line = {
        reqId: request.id,
        req: { method: request.method, url: request.url },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime),
      };
      if (reply.statusCode >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    }
    done();
  });
}
