import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ComplaintsService } from '@app/oversight';
import { PublicRegisterService } from '@app/registry';
import { institutionId } from './institutions.controller';
import { PublicEndpoint } from '../common/public-endpoint';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems } from '../common/responses';
import { notModified } from '../http/conditional-get';
import { PublicInstitutionDetailDto, PublicInstitutionDto, PublicSearchAnswerDto, PublicSearchDto } from './public.dto';
import { CachedAnswer, PublicAnswerCache } from './public-answer-cache';

/**
 * No login; rate-limited per client address. Search and detail send the cached JSON themselves (no
 * second serialising), so their answer type is held where it is computed, not by the method's return.
 */
@ApiTags('Public')
@Controller('api/v1/public')
@PublicEndpoint()
export class PublicController {
  constructor(
    private readonly register: PublicRegisterService,
    private readonly complaints: ComplaintsService,
    private readonly cache: PublicAnswerCache,
  ) {}

  /** The register's answer, plus names parents reported as operating without a licence (black list). */
  @Get('institutions')
  @ApiOperation({ operationId: 'searchRegister', summary: 'Search the register by name, licence number or credit code, with reported unlicensed names' })
  @ApiOkResponse({ type: PublicSearchAnswerDto, description: 'with a weak ETag; 304 for a matching If-None-Match' })
  @ApiProblems(400, 429)
  async search(@Query() query: PublicSearchDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const q = query.q?.trim();
    const answer = await this.cache.answer(
      ['search', q, query.districtCode, query.category, query.page, query.pageSize],
      async (): Promise<PublicSearchAnswerDto> => {
        const found = await this.register.search(query);
        return q ? { ...found, reportedUnlicensed: await this.complaints.reportedUnlicensed(q) } : found;
      },
    );
    send(request, reply, answer);
  }

  @Get('institutions/:id')
  @ApiOperation({ operationId: 'getRegisterEntry', summary: 'An institution’s public page: licence, list, courses, teachers, complaints' })
  @ApiOkResponse({ type: PublicInstitutionDetailDto, description: 'with a weak ETag; 304 for a matching If-None-Match' })
  @ApiProblems(404, 429)
  async detail(@Param('id', institutionId) id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const answer = await this.cache.answer(['detail', id], async (): Promise<PublicInstitutionDetailDto> => {
      const institution = await this.register.detail(id);
      return { ...institution, complaintsLast12Months: await this.complaints.countLast12Months(id) };
    });
    send(request, reply, answer);
  }

  @Get('licences/:number')
  @ApiOperation({ operationId: 'verifyLicence', summary: 'Check a licence number against the register' })
  @ApiOkResponse({ type: PublicInstitutionDto })
  @ApiProblems(404, 429)
  verify(@Param('number') number: string): Promise<PublicInstitutionDto> {
    return this.register.verifyLicence(number);
  }
}

/**
 * How long a shared cache (a CDN, a reverse proxy) may serve a public answer without asking: fresh for
 * 60 s, then stale for up to 30 s more while it fetches the new one in the background. Browsers get
 * max-age=0: they revalidate with the ETag (a 304 when nothing changed); the pages ask with
 * `cache: 'no-cache'`, so the stale-while-revalidate a browser may honour too never shows them an old
 * answer. The trade-off is in docs/decisions.md: through a shared cache, a change reaches parents up
 * to 90 s late.
 */
export const PUBLIC_ANSWER_CACHE_CONTROL = 'public, max-age=0, s-maxage=60, stale-while-revalidate=30';

/** Sends an answer's JSON as it was cached: no serialising or hashing again (a matching If-None-Match gets 304). */
function send(request: FastifyRequest, reply: FastifyReply, answer: CachedAnswer): void {
  reply.header('cache-control', PUBLIC_ANSWER_CACHE_CONTROL);
  if (notModified(request, reply, answer.etag)) return;
  reply.type('application/json; charset=utf-8').send(answer.body);
}
