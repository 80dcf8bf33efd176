import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AccountsService, PROBLEM_CONTENT_TYPE, problem } from '@app/core';
import { QueueFactory } from '@app/jobs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { QueueDashboardPasses } from './queue-dashboard-passes.service';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'queue_dashboard_session';

/**
 * bull-board at /admin/queues, for the admin only. A browser cannot attach a bearer token to the
 * dashboard's own requests, and an access token in a URL leaks into history, logs and Referer headers,
 * so the admin asks `POST /api/v1/admin/queue-dashboard/codes` for a one-time code and opens
 * /admin/queues?code=<code>: the code is spent (once, within a minute), a dashboard session of its own
 * goes into an httpOnly cookie scoped to the dashboard, and the URL is cleaned. A bearer header is
 * accepted too (scripts). Anyone else gets a 404, as for a page that does not exist.
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
  const passes = app.get(QueueDashboardPasses);

  const notFound = (reply: FastifyReply) =>
    reply
      .code(404)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify(problem(404, 'NOT_FOUND', 'This page was not found.')));

  const adminOnly = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as Record<string, unknown>;
    if (typeof query.code === 'string') {
      const opened = await passes.redeem(query.code);
      if (!opened) return notFound(reply);
      reply.header(
        'set-cookie',
        `${COOKIE}=${opened.session}; Path=${QUEUE_DASHBOARD_PATH}; Max-Age=${opened.maxAgeSeconds}; HttpOnly; SameSite=Strict${request.protocol === 'https' ? '; Secure' : ''}`,
      );
      return reply.redirect(QUEUE_DASHBOARD_PATH);
    }
    const [scheme, bearer] = (request.headers.authorization ?? '').split(' ');
    if (scheme?.toLowerCase() === 'bearer' && bearer) {
      if ((await accounts.principalFromToken(bearer))?.role === 'admin') return;
      return notFound(reply);
    }
    const session = new RegExp(`(?:^|;\\s*)${COOKIE}=([^;]+)`).exec(request.headers.cookie ?? '')?.[1];
    if (!session || !(await passes.sessionIsGood(session))) return notFound(reply);
  };
  // An encapsulated scope: the admin check guards the dashboard's routes and nothing else.
  await app.register(async (scope: FastifyInstance) => {
    scope.addHook('onRequest', adminOnly);
    await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
  });
}
