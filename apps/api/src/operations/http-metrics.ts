import type { FastifyInstance } from 'fastify';
import { MetricsService } from './metrics.service';

/**
 * Times every answered request (Fastify measures it: `reply.elapsedTime`), labelled by the route
 * pattern, never the raw URL, which would explode cardinality; `unmatched` when no route matched.
 */
export function measureRequests(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}
