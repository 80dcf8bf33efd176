import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, Public } from '@app/core';
import etag from 'etag';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { notModified } from '../http/conditional-get';
import { contentTypeOf, listAssets, webRoot } from './web-files';

/**
 * The pages each route serves: one HTML shell (page.html) with the page's title key and the module
 * under /assets/js/pages/ that builds it (the regulator's also loads Chart.js).
 */
const PAGES = {
  search: { title: 'search.title', scripts: ['js/pages/public-search.js'] },
  institution: { title: 'inst.licence', scripts: ['js/pages/public-institution.js'] },
  login: { title: 'login.title', scripts: ['js/pages/login.js'] },
  parent: { title: 'parent.title', scripts: ['js/pages/parent.js'] },
  org: { title: 'org.title', scripts: ['js/pages/institution.js'] },
  regulator: { title: 'reg.title', scripts: ['vendor/chart.umd.min.js', 'js/pages/regulator.js'] },
  notFound: { title: 'notFound.title', scripts: ['js/pages/not-found.js'] },
} as const;

function render(shell: string, page: (typeof PAGES)[keyof typeof PAGES]): string {
  const scripts = page.scripts
    .map((script) =>
      script.startsWith('vendor/') ? `  <script src="/assets/${script}" defer></script>` : `  <script type="module" src="/assets/${script}"></script>`,
    )
    .join('\n');
  return shell.replace('{{titleKey}}', page.title).replace('{{scripts}}', scripts);
}

/**
 * The web pages for parents, institutions and regulators (issue 6). The pages themselves are public
 * files; they call the JSON API with the user's token, so every rule stays in the API.
 */
@ApiExcludeController()
@Controller()
@Public()
export class WebController {
  private readonly root = webRoot();
  private readonly assets = listAssets(this.root);
  private readonly pages = (() => {
    const shell = readFileSync(join(this.root, 'page.html'), 'utf8');
    return Object.fromEntries(
      Object.entries(PAGES).map(([name, page]) => {
        const html = render(shell, page);
        return [name, { html, etag: etag(html, { weak: true }) }];
      }),
    ) as Record<keyof typeof PAGES, { html: string; etag: string }>;
  })();

  @Get()
  search(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.page(request, reply, 'search');
  }

  @Get('register/:id')
  institution(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.page(request, reply, 'institution');
  }

  @Get('login')
  login(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.page(request, reply, 'login');
  }

  @Get('parent')
  parent(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.page(request, reply, 'parent');
  }

  @Get('org')
  org(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.page(request, reply, 'org');
  }

  @Get('regulator')
  regulator(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.page(request, reply, 'regulator');
  }

  /** Browsers ask for /favicon.ico whatever the page says: the same SVG the pages link to. */
  @Get('favicon.ico')
  async favicon(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.send(request, reply, join(this.root, 'assets', 'img', 'favicon.svg'));
  }

  @Get('assets/*')
  async asset(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const path = request.url.split('?')[0];
    const file = this.assets.get(path);
    if (!file) throw new DomainError(404, 'WEB.NOT_FOUND', `There is no file ${path}.`);
    await this.send(request, reply, file);
  }

  /**
   * Any other GET: a person typing or following a page URL gets an HTML page saying so (status 404);
   * API clients (/api/...) and assets keep the problem+json answer. The router tries this last
   * (find-my-way prefers static and parametric routes over a wildcard).
   */
  @Get('*')
  notFound(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    const path = request.url.split('?')[0];
    if (path.startsWith('/api/') || path === '/api' || path.startsWith('/assets/')) {
      throw new DomainError(404, 'NOT_FOUND', `Cannot GET ${path}`);
    }
    reply.code(404).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(this.pages.notFound.html);
  }

  /** Rendered once at start-up with its ETag: with no-cache a revisit costs a 304. */
  private page(request: FastifyRequest, reply: FastifyReply, name: keyof typeof PAGES): void {
    const page = this.pages[name];
    reply.header('cache-control', 'no-cache');
    if (notModified(request, reply, page.etag)) return;
    reply.type('text/html; charset=utf-8').send(page.html);
  }

  /**
   * Read from disk on every request, so an edited file is seen at once; no-cache: the browser
   * revalidates with the ETag (size and modification time, as Express's sendFile made it), and a 304 costs nothing.
   */
  private async send(request: FastifyRequest, reply: FastifyReply, file: string): Promise<void> {
    const stats = await stat(file);
    reply.header('cache-control', 'no-cache').header('last-modified', stats.mtime.toUTCString());
    if (notModified(request, reply, etag(stats))) return;
    reply.type(contentTypeOf(file)).header('content-length', stats.size).send(createReadStream(file));
  }
}
