import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import { QUEUE_DASHBOARD_PATH } from '../operations/queue-dashboard';

type Directives = Record<string, string[] | null>;

/**
 * The app's own pages (apps/api/web) carry no inline script, handler or style: scripts and styles come
 * from 'self' only, so an injected `<script>` or `onerror=` does not run.
 */
const PAGE_DIRECTIVES: Directives = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  // helmet's default upgrade-insecure-requests makes a browser fetch the pages' own scripts and
  // styles over https: on plain http (npm start, a LAN address) the pages would load bare.
  // TLS, where there is any, is the reverse proxy's to enforce (HSTS), not this header's.
  'upgrade-insecure-requests': null,
};

/**
 * Third-party tools we serve but do not write, the OpenAPI UI (/api/docs) and the queue dashboard: their
 * HTML has inline styles (swagger-ui's template, bull-board's loader), so styles may be inline; scripts
 * stay 'self' only (bull-board's one inline script is JSON data, which no policy runs).
 */
const TOOL_DIRECTIVES: Directives = {
  ...PAGE_DIRECTIVES,
  'style-src': ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
  'font-src': ["'self'", 'data:', 'https://fonts.gstatic.com'],
};

const TOOL_PREFIXES = ['/api/docs', QUEUE_DASHBOARD_PATH];

/** Which policy a path gets: the tools' (docs/decisions.md, "Security") or the pages'. */
export function isToolPath(url: string): boolean {
  return TOOL_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`) || url.startsWith(`${prefix}-`));
}

/**
 * helmet's headers on every answer. helmet is built once per policy here and applied from an `onRequest`
 * hook: @fastify/helmet builds helmet anew on every request (its `helmet(configuration)` call parses the
 * CSP directives each time) and adds two hooks, ~5% of a cached search's CPU in bench/lookup's profile,
 * for the same headers.
 */
export function sendSecurityHeaders(fastify: FastifyInstance): void {
  const pages = helmet({ contentSecurityPolicy: { useDefaults: false, directives: PAGE_DIRECTIVES } });
  const tools = helmet({ contentSecurityPolicy: { useDefaults: false, directives: TOOL_DIRECTIVES } });
  fastify.addHook('onRequest', (request, reply, done) => {
    const setHeaders = isToolPath(request.url) ? tools : pages;
    setHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined));
  });
}
