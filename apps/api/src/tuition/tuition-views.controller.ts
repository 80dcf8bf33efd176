import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { TuitionViewsService } from '@app/tuition';
import { ApiProblems } from '../common/responses';
import {
  ConsumptionQueryDto,
  EscrowSummaryDto,
  EscrowSummaryQueryDto,
  InstitutionEscrowDto,
  LessonOfContractPageDto,
  ScopedConsumptionPageDto,
} from './tuition.dto';

const contractId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'CONTRACT.NOT_FOUND', 'The contract was not found.') });
const institutionId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'INSTITUTION.NOT_FOUND', 'The institution was not found.') });

/** Read-only views: a contract's lessons, lessons by status, an institution's escrow, the escrow of a scope. */
@ApiTags('Tuition and ledger')
@ApiBearerAuth()
@Controller('api/v1')
export class TuitionViewsController {
  constructor(private readonly views: TuitionViewsService) {}

  @Get('contracts/:id/lessons')
  // Personal data: not the admin's (docs/decisions.md, "Security": least privilege).
  @Roles('parent', 'institution', 'regulator')
  @ApiOperation({ operationId: 'listContractLessons', summary: 'Every lesson recorded on a contract, newest first, with its confirmation status' })
  @ApiOkResponse({ type: LessonOfContractPageDto })
  @ApiProblems(401, 403, 404)
  lessonsOf(@CurrentUser() principal: Principal, @Param('id', contractId) id: string): Promise<LessonOfContractPageDto> {
    return this.views.lessonsOf(principal, id);
  }

  @Get('consumptions')
  @Roles('regulator', 'institution')
  @ApiOperation({ operationId: 'listConsumptions', summary: 'Lessons by status across the caller’s scope, oldest first' })
  @ApiOkResponse({ type: ScopedConsumptionPageDto })
  @ApiProblems(400, 401, 403)
  consumptions(@CurrentUser() principal: Principal, @Query() query: ConsumptionQueryDto): Promise<ScopedConsumptionPageDto> {
    return this.views.consumptions(principal, query);
  }

  @Get('institutions/:id/escrow')
  @Roles('institution', 'regulator', 'admin')
  @ApiOperation({ operationId: 'getInstitutionEscrow', summary: 'Balances of an institution’s accounts and totals over its contracts' })
  @ApiOkResponse({ type: InstitutionEscrowDto })
  @ApiProblems(401, 403, 404)
  institutionEscrow(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string): Promise<InstitutionEscrowDto> {
    return this.views.institutionEscrow(principal, id);
  }

  @Get('escrow/summary')
  @Roles('regulator', 'admin')
  @ApiOperation({ operationId: 'getEscrowSummary', summary: 'Money in escrow in the caller’s scope now, and per day over the last 90 days' })
  @ApiOkResponse({ type: EscrowSummaryDto })
  @ApiProblems(400, 401, 403, 404)
  escrowSummary(@CurrentUser() principal: Principal, @Query() query: EscrowSummaryQueryDto): Promise<EscrowSummaryDto> {
    return this.views.escrowSummary(principal, query.districtCode);
  }
}
