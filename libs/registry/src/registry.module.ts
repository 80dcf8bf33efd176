import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogueService } from './catalogue/catalogue.service';
import { Course } from './catalogue/course.entity';
import { Teacher } from './catalogue/teacher.entity';
import { InstitutionEvent } from './institutions/institution-event.entity';
import { Institution } from './institutions/institution.entity';
import { InstitutionsService } from './institutions/institutions.service';
import { DistrictPolicyRow } from './policy/district-policy.entity';
import { DistrictPolicyService } from './policy/district-policy.service';
import { InstitutionFactsRepository } from './facts/institution-facts.repository';
import { InstitutionFactsService } from './facts/institution-facts.service';
import { RiskLevelsRepository } from './risk-levels/risk-levels.repository';
import { RiskLevelsService } from './risk-levels/risk-levels.service';
import { PublicRegisterService } from './public/public-register.service';

@Module({
  imports: [TypeOrmModule.forFeature([Institution, InstitutionEvent, Course, Teacher, DistrictPolicyRow])],
  providers: [
    InstitutionsService,
    CatalogueService,
    DistrictPolicyService,
    PublicRegisterService,
    InstitutionFactsRepository,
    InstitutionFactsService,
    RiskLevelsRepository,
    RiskLevelsService,
  ],
  exports: [InstitutionsService, CatalogueService, DistrictPolicyService, PublicRegisterService, InstitutionFactsService, RiskLevelsService],
})
export class RegistryModule {}
