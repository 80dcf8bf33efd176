import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { ComplaintsService } from '@app/oversight';
import { ApiProblems } from '../common/responses';
import { ComplaintAnswerDto, ComplaintDto, ComplaintPageDto, ComplaintTransitionDto, ComplaintsQueryDto, NewComplaintDto } from './complaints.dto';

const complaintId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'COMPLAINT.NOT_FOUND', 'The complaint was not found.') });

@ApiTags('Oversight')
@ApiBearerAuth()
@Controller('api/v1/complaints')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  @Post()
  @Roles('parent')
  @ApiOperation({
    operationId: 'fileComplaint',
    summary:
      'A parent complains about a registered institution, or names one that is not in the register (REFERENCE.UNKNOWN_DISTRICT, COMPLAINT.INSTITUTION_REQUIRED; 5 a day, then COMPLAINT.DAILY_LIMIT with Retry-After)',
  })
  @ApiCreatedResponse({ type: ComplaintDto })
  @ApiProblems(400, 401, 403, 404, 422, 429)
  file(@CurrentUser() parent: Principal, @Body() body: NewComplaintDto): Promise<ComplaintDto> {
    return this.complaints.file(parent, body);
  }

  @Get()
  // Personal data: not the admin's (docs/decisions.md, "Security": least privilege).
  @Roles('regulator', 'parent', 'institution')
  @ApiOperation({
    operationId: 'listComplaints',
    summary: 'A parent’s own complaints, those about an owner’s institutions, or those of the regulator’s districts, newest first',
  })
  @ApiOkResponse({ type: ComplaintPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentUser() principal: Principal, @Query() query: ComplaintsQueryDto): Promise<ComplaintPageDto> {
    return this.complaints.list(principal, query);
  }

  @Post(':id/answer')
  @HttpCode(200)
  @Roles('institution')
  @ApiOperation({ operationId: 'answerComplaint', summary: 'The institution answers a complaint about it (COMPLAINT.NOT_FOUND, COMPLAINT.CLOSED)' })
  @ApiOkResponse({ type: ComplaintDto })
  @ApiProblems(400, 401, 403, 404, 409)
  answer(@CurrentUser() owner: Principal, @Param('id', complaintId) id: string, @Body() body: ComplaintAnswerDto): Promise<ComplaintDto> {
    return this.complaints.answer(owner, id, body.reply);
  }

  @Post(':id/transition')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({
    operationId: 'moveComplaint',
    summary:
      'A regulator of the district moves a complaint on (open → in_progress | verified → resolved | dismissed) with a reply (COMPLAINT.INVALID_TRANSITION)',
  })
  @ApiOkResponse({ type: ComplaintDto })
  @ApiProblems(400, 401, 403, 404, 409)
  transition(@CurrentUser() regulator: Principal, @Param('id', complaintId) id: string, @Body() body: ComplaintTransitionDto): Promise<ComplaintDto> {
    return this.complaints.transition(regulator, id, body.to, body.reply);
  }
}
