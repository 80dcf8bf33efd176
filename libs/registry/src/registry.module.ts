import { Module } from '@nestjs/common';
import { CatalogueService } from './catalogue/catalogue.service';
import { CoursesRepository } from './catalogue/courses.repository';
import { SubjectsRepository } from './catalogue/subjects.repository';
import { TeachersRepository } from './catalogue/teachers.repository';
import { EnrolmentRepository } from './enrolment/enrolment.repository';
import { EnrolmentService } from './enrolment/enrolment.service';
import { InstitutionEventsRepository } from './institutions/institution-events.repository';
import { InstitutionsRepository } from './institutions/institutions.repository';
import { InstitutionsService } from './institutions/institutions.service';
import { LicenceCountersRepository } from './institutions/licence-counters.repository';
import { DistrictPolicyRepository } from './policy/district-policy.repository';
import { DistrictPolicyService } from './policy/district-policy.service';
import { InstitutionFactsRepository } from './facts/institution-facts.repository';
import { InstitutionFactsService } from './facts/institution-facts.service';
import { PublicRegisterRepository } from './public/public-register.repository';
import { PublicRegisterService } from './public/public-register.service';
import { RiskLevelsRepository } from './risk-levels/risk-levels.repository';
import { RiskLevelsService } from './risk-levels/risk-levels.service';

@Module({
  providers: [
    InstitutionsRepository,
    InstitutionEventsRepository,
    LicenceCountersRepository,
    InstitutionsService,
    CoursesRepository,
    TeachersRepository,
    SubjectsRepository,
    CatalogueService,
    DistrictPolicyRepository,
    DistrictPolicyService,
    PublicRegisterRepository,
    PublicRegisterService,
    EnrolmentRepository,
    EnrolmentService,
    InstitutionFactsRepository,
    InstitutionFactsService,
    RiskLevelsRepository,
    RiskLevelsService,
  ],
  exports: [InstitutionsService, CatalogueService, DistrictPolicyService, PublicRegisterService, EnrolmentService, InstitutionFactsService, RiskLevelsService],
})
export class RegistryModule {}
