import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * helmet's headers on every answer, with a CSP the pages work under. helmet is built once here and
 * applied from an `onRequest` hook: @fastify/helmet builds helmet anew on every request (its
 * `helmet(configuration)` call parses the CSP directives each time) and adds two hooks, ~5% of a cached
 * search's CPU in bench/lookup's profile, for the same headers.
 */
export function sendSecurityHeaders(fastify: FastifyInstance): void {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        'script-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        // helmet's default upgrade-insecure-requests makes a browser fetch the pages' own scripts and
        // styles over https: on plain http (npm start, a LAN address) the pages would load bare.
        // TLS, where there is any, is the reverse proxy's to enforce (HSTS), not this header's.
        'upgrade-insecure-requests': null,
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => setHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));
}
