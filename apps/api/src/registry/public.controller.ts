import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ComplaintsService } from '@app/oversight';
import { PublicRegisterService } from '@app/registry';
import { PageQueryDto } from '../common/page-query.dto';
import { institutionId } from './institutions.controller';
import { PublicEndpoint } from '../common/public-endpoint';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notModified } from '../http/conditional-get';
import { CachedAnswer, PublicAnswerCache } from './public-answer-cache';

class PublicSearchDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'a name (fuzzy, Chinese), a licence number or a unified social credit code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' })
  districtCode?: string;

  @ApiPropertyOptional({ enum: ['subject', 'non_subject'] })
  @IsOptional()
  @IsIn(['subject', 'non_subject'])
  category?: 'subject' | 'non_subject';
}

/** No login; rate-limited per client address. */
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
  async search(@Query() query: PublicSearchDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const q = query.q?.trim();
    const answer = await this.cache.answer(['search', q, query.districtCode, query.category, query.page, query.pageSize], async () => {
      const found = await this.register.search(query);
      return q ? { ...found, reportedUnlicensed: await this.complaints.reportedUnlicensed(q) } : found;
    });
    send(request, reply, answer);
  }

  @Get('institutions/:id')
  async detail(@Param('id', institutionId) id: string, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const answer = await this.cache.answer(['detail', id], async () => {
      const institution = await this.register.detail(id);
      return { ...institution, complaintsLast12Months: await this.complaints.countLast12Months(id) };
    });
    send(request, reply, answer);
  }

  @Get('licences/:number')
  verify(@Param('number') number: string) {
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
