import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication } from '@nestjs/common';
import { AccountsService } from '@app/core';
import { QueueFactory } from '@app/jobs';
import type { NextFunction, Request, Response } from 'express';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
const COOKIE = 'queue_dashboard_token';

/**
 * bull-board at /admin/queues, for the admin only. A browser cannot attach a bearer token to the
 * dashboard's own requests, so the admin opens /admin/queues?token=<access token> once: the token is
 * checked, kept in an httpOnly cookie scoped to the dashboard, and the URL is cleaned. Anyone else gets
 * a 404, as for a page that does not exist.
 */
export function mountQueueDashboard(app: INestApplication): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: app
      .get(QueueFactory)
      .allQueues()
      .map((queue) => new BullMQAdapter(queue)),
    serverAdapter,
  });
  const accounts = app.get(AccountsService);

  const adminOnly = async (request: Request, response: Response, next: NextFunction) => {
    const fromQuery = typeof request.query.token === 'string' ? request.query.token : undefined;
    const [scheme, bearer] = (request.header('authorization') ?? '').split(' ');
    const cookie = /(?:^|;\s*)queue_dashboard_token=([^;]+)/.exec(request.header('cookie') ?? '')?.[1];
    const token = fromQuery ?? (scheme?.toLowerCase() === 'bearer' ? bearer : undefined) ?? cookie;
    const principal = token ? await accounts.principalFromToken(token) : undefined;
    if (principal?.role !== 'admin') {
      response
        .status(404)
        .type('application/problem+json')
        .send(JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, code: 'NOT_FOUND', detail: 'This page was not found.' }));
      return;
    }
    if (fromQuery) {
      response.cookie(COOKIE, fromQuery, { httpOnly: true, sameSite: 'strict', path: QUEUE_DASHBOARD_PATH });
      response.redirect(request.baseUrl || QUEUE_DASHBOARD_PATH);
      return;
    }
    next();
  };
  app.use(
    QUEUE_DASHBOARD_PATH,
    (request: Request, response: Response, next: NextFunction) => void adminOnly(request, response, next).catch(next),
    serverAdapter.getRouter(),
  );
}
