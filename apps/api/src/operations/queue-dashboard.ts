import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AccountsService, PROBLEM_CONTENT_TYPE, problem } from '@app/core';
import { QueueFactory } from '@app/jobs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'queue_dashboard_token';

/**
 * bull-board at /admin/queues, for the admin only. A browser cannot attach a bearer token to the
 * dashboard's own requests, so the admin opens /admin/queues?token=<access token> once: the token is
 * checked, kept in an httpOnly cookie scoped to the dashboard, and the URL is cleaned. Anyone else gets
 * a 404, as for a page that does not exist.
 */
export async function mountQueueDashboard(app: NestFastifyApplication): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: app
      .get(QueueFactory)
      .allQueues()
      .map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
  });
  const accounts = app.get(AccountsService);

  const adminOnly = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, unknown>;
    const fromQuery = typeof query.token === 'string' ? query.token : undefined;
    const [scheme, bearer] = (request.headers.authorization ?? '').split(' ');
    const cookie = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(request.headers.cookie ?? '')?.[1];
    const token = fromQuery ?? (scheme?.toLowerCase() === 'bearer' ? bearer : undefined) ?? (cookie && decodeURIComponent(cookie));
    const principal = token ? await accounts.principalFromToken(token) : undefined;
    if (principal?.role !== 'admin') {
      return reply
        .code(404)
        .type(PROBLEM_CONTENT_TYPE)
        .send(JSON.stringify(problem(404, 'NOT_FOUND', 'This page was not found.')));
    }
    if (fromQuery) {
      reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(fromQuery)}; Path=${QUEUE_DASHBOARD_PATH}; HttpOnly; SameSite=Strict`);
      return reply.redirect(QUEUE_DASHBOARD_PATH);
    }
  };
  // An encapsulated scope: the admin check guards the dashboard's routes and nothing else.
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', adminOnly);
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
