import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles, maskCertificate } from '@app/core';
import { CatalogueService, Institution, InstitutionsService, LicenceAction, Teacher } from '@app/registry';
import { ApiProblems } from '../common/responses';
import { CourseDto, NewCourseDto, NewTeacherDto, TeacherDto } from './catalogue.dto';
import {
  InstitutionChangesDto,
  InstitutionDto,
  InstitutionPageDto,
  InstitutionQueryDto,
  InstitutionRecordDto,
  NewInstitutionDto,
  OptionalReasonDto,
  ReasonDto,
  RenewDto,
  RenewalApplicationDto,
  RenewalReviewDto,
  ReviewDto,
} from './institution.dto';

/** An id that is not a UUID names nothing: 404, like any record the caller may not see. */
export const institutionId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'INSTITUTION.NOT_FOUND', 'The institution was not found.') });

/** A teacher as the institution and its regulators see it: the certificate number masked. */
const masked = (teacher: Teacher): TeacherDto => ({ ...teacher, qualificationNo: teacher.qualificationNo && maskCertificate(teacher.qualificationNo) });

@ApiTags('Registry')
@ApiBearerAuth()
@Controller('api/v1/institutions')
export class InstitutionsController {
  constructor(
    private readonly institutions: InstitutionsService,
    private readonly catalogue: CatalogueService,
  ) {}

  @Post()
  @Roles('institution')
  @ApiOperation({ operationId: 'createInstitution', summary: 'File a licence application as a draft' })
  @ApiCreatedResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 409, 422)
  create(@CurrentUser() principal: Principal, @Body() body: NewInstitutionDto): Promise<InstitutionDto> {
    return this.institutions.create(principal, body);
  }

  @Patch(':id')
  @Roles('institution')
  @ApiOperation({ operationId: 'updateInstitution', summary: 'Change the application while it is a draft or returned' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  update(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: InstitutionChangesDto): Promise<InstitutionDto> {
    return this.institutions.update(principal, id, body);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('institution')
  @ApiOperation({ operationId: 'submitInstitution', summary: 'Submit the application for review' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(401, 403, 404, 409)
  submit(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string): Promise<InstitutionDto> {
    return this.act(principal, id, 'submit', null);
  }

  @Get()
  @Roles('regulator', 'institution', 'admin')
  @ApiOperation({ operationId: 'listInstitutions', summary: 'Institutions of the caller’s scope (its own, for an institution account), newest first' })
  @ApiOkResponse({ type: InstitutionPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentUser() principal: Principal, @Query() query: InstitutionQueryDto): Promise<InstitutionPageDto> {
    return this.institutions.list(principal, query);
  }

  @Get(':id')
  @Roles('regulator', 'institution', 'admin')
  @ApiOperation({ operationId: 'getInstitution', summary: 'The whole record: licence, history, courses and teachers' })
  @ApiOkResponse({ type: InstitutionRecordDto })
  @ApiProblems(401, 403, 404)
  async get(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string): Promise<InstitutionRecordDto> {
    const { institution, history } = await this.institutions.get(principal, id);
    const [courses, teachers] = await Promise.all([this.catalogue.coursesOf(id), this.catalogue.teachersOf(id)]);
    return {
      ...institution,
      licence: {
        number: institution.licenceNumber,
        status: institution.status,
        validFrom: institution.licenceValidFrom,
        validUntil: institution.licenceValidUntil,
      },
      history,
      courses,
      teachers: teachers.map(masked),
    };
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ operationId: 'reviewInstitution', summary: 'Decide a submitted application: approve (issuing the licence), return or reject' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  review(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReviewDto): Promise<InstitutionDto> {
    return this.institutions.transition(principal, id, body.decision, body.reason, { validYears: body.validYears });
  }

  @Post(':id/renew')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ operationId: 'renewLicence', summary: 'Renew an expired licence from today' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  renew(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: RenewDto): Promise<InstitutionDto> {
    return this.institutions.transition(principal, id, 'renew', body.reason, { validYears: body.validYears });
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ operationId: 'suspendLicence', summary: 'Suspend a licence, with a reason' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  suspend(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto): Promise<InstitutionDto> {
    return this.act(principal, id, 'suspend', body.reason);
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ operationId: 'reinstateLicence', summary: 'Reinstate a suspended licence, with a reason' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  reinstate(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto): Promise<InstitutionDto> {
    return this.act(principal, id, 'reinstate', body.reason);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ operationId: 'revokeLicence', summary: 'Revoke (吊销) a licensed, suspended or enrolment-stopped licence, with a reason' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  revoke(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto): Promise<InstitutionDto> {
    return this.act(principal, id, 'revoke', body.reason);
  }

  @Post(':id/stop-enrolment')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ operationId: 'stopEnrolment', summary: 'Stop enrolment (停止招生): lessons, confirmations and refunds go on; no new contracts or payments' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  stopEnrolment(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto): Promise<InstitutionDto> {
    return this.act(principal, id, 'stop_enrolment', body.reason);
  }

  @Post(':id/resume-enrolment')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ operationId: 'resumeEnrolment', summary: 'Let an institution whose enrolment was stopped enrol again' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  resumeEnrolment(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto): Promise<InstitutionDto> {
    return this.act(principal, id, 'resume_enrolment', body.reason);
  }

  @Post(':id/renewals')
  @Roles('institution')
  @ApiOperation({ operationId: 'applyForRenewal', summary: 'Apply to renew the licence, from 90 days before it ends' })
  @ApiCreatedResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  applyForRenewal(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: RenewalApplicationDto): Promise<InstitutionDto> {
    return this.institutions.applyForRenewal(principal, id, body.validYears);
  }

  @Post(':id/renewals/current/review')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({
    operationId: 'reviewRenewal',
    summary: 'Grant or refuse the pending renewal; granted, the new validity starts the day after the old one ends',
  })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  reviewRenewal(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: RenewalReviewDto): Promise<InstitutionDto> {
    return this.institutions.reviewRenewal(principal, id, body.decision, body.reason);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('regulator', 'institution')
  @ApiOperation({ operationId: 'closeInstitution', summary: 'Close a licensed institution once no contract holds money' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  close(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: OptionalReasonDto): Promise<InstitutionDto> {
    return this.act(principal, id, 'close', body.reason ?? null);
  }

  @Post(':id/freeze')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ operationId: 'freezeFunds', summary: 'Freeze the institution’s funds: lessons still accrue, settlements pay nothing' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  freeze(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto): Promise<InstitutionDto> {
    return this.institutions.setFrozen(principal, id, true, body.reason);
  }

  @Post(':id/unfreeze')
  @HttpCode(200)
  @Roles('regulator')
  @ApiOperation({ operationId: 'unfreezeFunds', summary: 'Release frozen funds' })
  @ApiOkResponse({ type: InstitutionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  unfreeze(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto): Promise<InstitutionDto> {
    return this.institutions.setFrozen(principal, id, false, body.reason);
  }

  @Post(':id/courses')
  @Roles('institution')
  @ApiOperation({ operationId: 'fileCourse', summary: 'File a course of a licensed institution, within the district’s guided price and lesson length' })
  @ApiCreatedResponse({ type: CourseDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  addCourse(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: NewCourseDto): Promise<CourseDto> {
    return this.catalogue.addCourse(principal, id, body);
  }

  @Post(':id/teachers')
  @Roles('institution')
  @ApiOperation({ operationId: 'fileTeacher', summary: 'File a teacher (a subject-training institution’s need a qualification certificate)' })
  @ApiCreatedResponse({ type: TeacherDto })
  @ApiProblems(400, 401, 403, 404, 422)
  async addTeacher(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: NewTeacherDto): Promise<TeacherDto> {
    return masked(await this.catalogue.addTeacher(principal, id, body));
  }

  private act(principal: Principal, id: string, action: LicenceAction, reason: string | null): Promise<Institution> {
    return this.institutions.transition(principal, id, action, reason);
  }
}
