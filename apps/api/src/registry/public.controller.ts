import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ComplaintsService } from '@app/oversight';
import { PublicRegisterService } from '@app/registry';
import { PageQueryDto } from '../common/page-query.dto';
import { institutionId } from './institutions.controller';
import { PublicEndpoint } from '../common/public-endpoint';

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
  ) {}

  /** The register's answer, plus names parents reported as operating without a licence (black list). */
  @Get('institutions')
  async search(@Query() query: PublicSearchDto) {
    const found = await this.register.search(query);
    const q = query.q?.trim();
    return q ? { ...found, reportedUnlicensed: await this.complaints.reportedUnlicensed(q) } : found;
  }

  @Get('institutions/:id')
  async detail(@Param('id', institutionId) id: string) {
    const institution = await this.register.detail(id);
    return { ...institution, complaintsLast12Months: await this.complaints.countLast12Months(id) };
  }

  @Get('licences/:number')
  verify(@Param('number') number: string) {
    return this.register.verifyLicence(number);
  }
}
