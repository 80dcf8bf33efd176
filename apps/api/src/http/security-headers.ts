import type { FastifyHelmetOptions } from '@fastify/helmet';

/** helmet's headers on every answer (@fastify/helmet), with a CSP the pages work under. */
export const SECURITY_HEADERS: FastifyHelmetOptions = {
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
};
