import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard, Throttle } from '@nestjs/throttler';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Public } from '@app/core';
import { PublicRegisterService } from '@app/registry';
import { PageQueryDto } from '../common/page-query.dto';
import { institutionId } from './institutions.controller';

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
@Public()
@UseGuards(ThrottlerGuard)
@SkipThrottle({ login: true })
@Throttle({ public: {} })
export class PublicController {
  constructor(private readonly register: PublicRegisterService) {}

  @Get('institutions')
  search(@Query() query: PublicSearchDto) {
    return this.register.search(query);
  }

  @Get('institutions/:id')
  detail(@Param('id', institutionId) id: string) {
    return this.register.detail(id);
  }

  @Get('licences/:number')
  verify(@Param('number') number: string) {
    return this.register.verifyLicence(number);
  }
}
