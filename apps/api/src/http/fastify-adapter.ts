import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PROBLEM_CONTENT_TYPE, problem, requestIdOf } from '@app/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The largest request body the API reads; a larger one is refused with a 413 problem. */
export const BODY_LIMIT_BYTES = 256 * 1024;

/** Fastify as the API's HTTP server: one place for the options main.ts, npm start, the tests and the benches share. */
export function createHttpAdapter(): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Fastify's own request ids: the caller's x-request-id when it is a sensible token, else a new one.
    genReqId: requestIdOf,
    requestIdHeader: false,
    // A reverse proxy on this host may say who the client is (X-Forwarded-For): throttling keys on it.
    trustProxy: 'loopback',
    // As on Express: /health/live/ is /health/live.
    routerOptions: { ignoreTrailingSlash: true },
    // A URL the router cannot decode (`/%E0`) is a client's mistake: a problem, like every other refusal.
    frameworkErrors: (_error: Error, _request: FastifyRequest, reply: FastifyReply) =>
      void reply
        .code(400)
        .type(PROBLEM_CONTENT_TYPE)
        .send(JSON.stringify(problem(400, 'REQUEST.INVALID', 'The request URL is not valid.'))),
    // The API logs through its own pino instance (access log hook, nestjs-pino): Fastify's would make a
    // child logger per request for nothing.
    logger: false,
    // Shutdown (apps/api/src/http/graceful-close.ts): requests arriving while closing get 503 with
    // `Connection: close`; connections idle when closing begins are closed at once. Both are Fastify 5's
    // defaults, stated here because the drain relies on them.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
}
