import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ComplaintsService } from '@app/oversight';
import { PublicRegisterService } from '@app/registry';
import { PageQueryDto } from '../common/page-query.dto';
import { institutionId } from './institutions.controller';
import { PublicEndpoint } from '../common/public-endpoint';
import type { Response } from 'express';
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
  async search(@Query() query: PublicSearchDto, @Res({ passthrough: true }) response: Response) {
    const q = query.q?.trim();
    const answer = await this.cache.answer(['search', q, query.districtCode, query.category, query.page, query.pageSize], async () => {
      const found = await this.register.search(query);
      return q ? { ...found, reportedUnlicensed: await this.complaints.reportedUnlicensed(q) } : found;
    });
    return send(response, answer);
  }

  @Get('institutions/:id')
  async detail(@Param('id', institutionId) id: string, @Res({ passthrough: true }) response: Response) {
    const answer = await this.cache.answer(['detail', id], async () => {
      const institution = await this.register.detail(id);
      return { ...institution, complaintsLast12Months: await this.complaints.countLast12Months(id) };
    });
    return send(response, answer);
  }

  @Get('licences/:number')
  verify(@Param('number') number: string) {
    return this.register.verifyLicence(number);
  }
}

/** Sends an answer's JSON as it was cached: no serialising or hashing again (a matching If-None-Match gets 304). */
function send(response: Response, answer: CachedAnswer): string {
  response.type('application/json').setHeader('ETag', answer.etag);
  return answer.body;
}
