import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError, Public } from '@app/core';
import type { Request, Response } from 'express';
import { join } from 'node:path';
import { contentTypeOf, listAssets, webRoot } from './web-files';

/** The pages each route serves; each page is one HTML file that loads one module under /assets/js/pages/. */
const PAGES = {
  search: 'index.html',
  institution: 'institution.html',
  login: 'login.html',
  parent: 'parent.html',
  org: 'org.html',
  regulator: 'regulator.html',
} as const;

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

  private page(response: Response, page: keyof typeof PAGES) {
    this.send(response, join(this.root, PAGES[page]));
  }

  /** no-cache: the browser revalidates (ETag) so a new build is seen at once, and a 304 costs nothing. */
  private send(response: Response, file: string) {
    response.sendFile(file, { headers: { 'Content-Type': contentTypeOf(file), 'Cache-Control': 'no-cache' } });
  }
}
