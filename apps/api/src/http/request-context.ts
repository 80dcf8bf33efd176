import type { FastifyInstance } from 'fastify';
import { RequestContext } from '@app/core';

/**
 * Every answer carries its request id (Fastify's, from `genReqId`), and the services see the request
 * id and the caller through RequestContext (audit log, outbox, log lines). The context is entered in
 * `preHandler`, after the body was read: the body's stream events would not carry a context entered
 * earlier. Guards, pipes, interceptors and the controller all run inside it.
 */
export function trackRequests(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => RequestContext.run(request.id, done));
}
