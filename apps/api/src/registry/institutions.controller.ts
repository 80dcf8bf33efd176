import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles, maskCertificate } from '@app/core';
import { CatalogueService, InstitutionsService, LicenceAction } from '@app/registry';
import { NewCourseDto, NewTeacherDto } from './catalogue.dto';
import { InstitutionChangesDto, InstitutionQueryDto, NewInstitutionDto, OptionalReasonDto, ReasonDto, RenewDto, ReviewDto } from './institution.dto';

/** An id that is not a UUID names nothing: 404, like any record the caller may not see. */
export const institutionId = new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, 'INSTITUTION.NOT_FOUND', 'The institution was not found.') });

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
  create(@CurrentUser() principal: Principal, @Body() body: NewInstitutionDto) {
    return this.institutions.create(principal, body);
  }

  @Patch(':id')
  @Roles('institution')
  update(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: InstitutionChangesDto) {
    return this.institutions.update(principal, id, body);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Roles('institution')
  submit(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string) {
    return this.institutions.transition(principal, id, 'submit', null);
  }

  @Get()
  @Roles('regulator', 'institution', 'admin')
  list(@CurrentUser() principal: Principal, @Query() query: InstitutionQueryDto) {
    return this.institutions.list(principal, query);
  }

  @Get(':id')
  @Roles('regulator', 'institution', 'admin')
  async get(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string) {
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
      teachers: teachers.map((teacher) => ({ ...teacher, qualificationNo: teacher.qualificationNo && maskCertificate(teacher.qualificationNo) })),
    };
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('regulator')
  review(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReviewDto) {
    return this.institutions.transition(principal, id, body.decision, body.reason, { validYears: body.validYears });
  }

  @Post(':id/renew')
  @HttpCode(200)
  @Roles('regulator')
  renew(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: RenewDto) {
    return this.institutions.transition(principal, id, 'renew', body.reason, { validYears: body.validYears });
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @Roles('regulator')
  suspend(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto) {
    return this.act(principal, id, 'suspend', body.reason);
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @Roles('regulator')
  reinstate(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto) {
    return this.act(principal, id, 'reinstate', body.reason);
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('regulator')
  revoke(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto) {
    return this.act(principal, id, 'revoke', body.reason);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles('regulator', 'institution')
  close(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: OptionalReasonDto) {
    return this.act(principal, id, 'close', body.reason ?? null);
  }

  @Post(':id/freeze')
  @HttpCode(200)
  @Roles('regulator')
  freeze(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto) {
    return this.institutions.setFrozen(principal, id, true, body.reason);
  }

  @Post(':id/unfreeze')
  @HttpCode(200)
  @Roles('regulator')
  unfreeze(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: ReasonDto) {
    return this.institutions.setFrozen(principal, id, false, body.reason);
  }

  @Post(':id/courses')
  @Roles('institution')
  addCourse(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: NewCourseDto) {
    return this.catalogue.addCourse(principal, id, body);
  }

  @Post(':id/teachers')
  @Roles('institution')
  async addTeacher(@CurrentUser() principal: Principal, @Param('id', institutionId) id: string, @Body() body: NewTeacherDto) {
    const teacher = await this.catalogue.addTeacher(principal, id, body);
    return { ...teacher, qualificationNo: teacher.qualificationNo && maskCertificate(teacher.qualificationNo) };
  }

  private act(principal: Principal, id: string, action: LicenceAction, reason: string | null) {
    return this.institutions.transition(principal, id, action, reason);
  }
}
