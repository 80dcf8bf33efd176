import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueService } from './catalogue/catalogue.service';
import { Course } from './catalogue/course.entity';
import { Teacher } from './catalogue/teacher.entity';
import { InstitutionEvent } from './institutions/institution-event.entity';
import { Institution } from './institutions/institution.entity';
import { InstitutionsService } from './institutions/institutions.service';
import { EnrolmentRepository } from './enrolment/enrolment.repository';
import { EnrolmentService } from './enrolment/enrolment.service';
import { DistrictPolicyRow } from './policy/district-policy.entity';
import { DistrictPolicyService } from './policy/district-policy.service';
import { PublicRegisterService } from './public/public-register.service';

@Module({
  imports: [TypeOrmModule.forFeature([Institution, InstitutionEvent, Course, Teacher, DistrictPolicyRow])],
  providers: [InstitutionsService, CatalogueService, DistrictPolicyService, PublicRegisterService, EnrolmentRepository, EnrolmentService],
  exports: [InstitutionsService, CatalogueService, DistrictPolicyService, PublicRegisterService, EnrolmentService],
})
export class RegistryModule {}
