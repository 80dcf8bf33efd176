import type { FastifyInstance } from 'fastify';

/** However long keep-alive clients linger, connections still open this long after close began are cut. */
export const DRAIN_LIMIT_MS = 10_000;

/**
 * Closing (SIGTERM, app.close()) drains within a bound. Fastify refuses requests that arrive once
 * closing began (503 with `Connection: close`, `return503OnClosing`) and Node closes the connections
 * that are idle at that moment (`forceCloseConnections: 'idle'`); but a request already in flight
 * was answered without `Connection: close`, so its keep-alive connection stayed open and held the
 * process until the client's keep-alive ran out (72 s by default). Answers sent while closing now say
 * `Connection: close`, so each connection ends with its last answer, and whatever is still open after
 * DRAIN_LIMIT_MS is cut (docs/architecture.md, "Faults").
 */
export function closeGracefully(fastify: FastifyInstance, drainLimitMs = DRAIN_LIMIT_MS): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    setTimeout(() => fastify.server.closeAllConnections(), drainLimitMs).unref();
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}
