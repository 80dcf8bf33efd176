import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, Public } from '@app/core';
import type { Request, Response } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
    return Object.fromEntries(Object.entries(PAGES).map(([name, page]) => [name, render(shell, page)])) as Record<keyof typeof PAGES, string>;
  })();

  @Get()
  search(@Res() response: Response) {
    this.page(response, 'search');
  }

  @Get('register/:id')
  institution(@Res() response: Response) {
    this.page(response, 'institution');
  }

  @Get('login')
  login(@Res() response: Response) {
    this.page(response, 'login');
  }

  @Get('parent')
  parent(@Res() response: Response) {
    this.page(response, 'parent');
  }

  @Get('org')
  org(@Res() response: Response) {
    this.page(response, 'org');
  }

  @Get('regulator')
  regulator(@Res() response: Response) {
    this.page(response, 'regulator');
  }

  @Get('assets/*path')
  asset(@Req() request: Request, @Res() response: Response) {
    const file = this.assets.get(request.path);
    if (!file) throw new DomainError(404, 'WEB.NOT_FOUND', `There is no file ${request.path}.`);
    this.send(response, file);
  }

  /** Rendered once at start-up; Express adds an ETag, so with no-cache a revisit costs a 304. */
  private page(response: Response, page: keyof typeof PAGES) {
    response.type('text/html; charset=utf-8').setHeader('Cache-Control', 'no-cache');
    response.send(this.pages[page]);
  }

  /** no-cache: the browser revalidates (ETag) so a new build is seen at once, and a 304 costs nothing. */
  private send(response: Response, file: string) {
    response.sendFile(file, { headers: { 'Content-Type': contentTypeOf(file), 'Cache-Control': 'no-cache' } });
  }
}
