import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { TuitionViewsService } from '@app/tuition';
import { PageQueryDto } from '../common/page-query.dto';

const contractId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'CONTRACT.NOT_FOUND', 'The contract was not found.') });
const institutionId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'INSTITUTION.NOT_FOUND', 'The institution was not found.') });

class ConsumptionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'disputed', 'confirmed', 'voided'] })
  @IsOptional()
  @IsIn(['pending', 'disputed', 'confirmed', 'voided'])
  status?: string;
}

class EscrowSummaryQueryDto {
  @ApiPropertyOptional({ description: 'one district of the caller’s scope; all of it when absent' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' })
  districtCode?: string;
}

/** Read-only views: a contract's lessons, lessons by status, an institution's escrow, the escrow of a scope. */
@ApiTags('Tuition and ledger')
@ApiBearerAuth()
@Controller('api/v1')
export class TuitionViewsController {
  constructor(private readonly views: TuitionViewsService) {}

  @Get('contracts/:id/lessons')
  @Roles('parent', 'institution', 'regulator', 'admin')
  lessonsOf(@CurrentUser() principal: Principal, @Param('id', contractId) id: string) {
    return this.views.lessonsOf(principal, id);
  }

  @Get('consumptions')
  @Roles('regulator', 'admin', 'institution')
  consumptions(@CurrentUser() principal: Principal, @Query() query: ConsumptionQueryDto) {
    return this.views.consumptions(principal, query);
  }

  @Get('institutions/:id/escrow')
  @Roles('institution', 'regulator', 'admin')
  institutionEscrow(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string) {
    return this.views.institutionEscrow(principal, id);
  }

  @Get('escrow/summary')
  @Roles('regulator', 'admin')
  escrowSummary(@CurrentUser() principal: Principal, @Query() query: EscrowSummaryQueryDto) {
    return this.views.escrowSummary(principal, query.districtCode);
  }
}
