import { Module } from '@nestjs/common';
import { RegistryModule } from '@app/registry';
import { TuitionModule } from '@app/tuition';
import { ComplaintsRepository } from './complaints/complaints.repository';
import { ComplaintsService } from './complaints/complaints.service';
import { ReconciliationRepository } from './reconciliation/reconciliation.repository';
import { ReconciliationService } from './reconciliation/reconciliation.service';
import { ReductionRepository } from './reduction/reduction.repository';
import { ReductionService } from './reduction/reduction.service';
import { MonthlyReportsRepository } from './reports/monthly-reports.repository';
import { OverdueSweepService } from './reports/overdue-sweep.service';
import { ReportFiguresService } from './reports/report-figures.service';
import { ReportsService } from './reports/reports.service';
import { RiskFactsRepository } from './risk/risk-facts.repository';
import { RiskService } from './risk/risk.service';

/** Oversight (DESIGN §7): risk, monthly reports, complaints and reduction tracking. */
@Module({
  imports: [RegistryModule, TuitionModule],
  providers: [
    ComplaintsRepository,
    ComplaintsService,
    ReconciliationRepository,
    ReconciliationService,
    ReductionRepository,
    ReductionService,
    MonthlyReportsRepository,
    OverdueSweepService,
    ReportFiguresService,
    ReportsService,
    RiskService,
    RiskFactsRepository,
  ],
  exports: [ComplaintsService, ReconciliationService, ReductionService, OverdueSweepService, ReportFiguresService, ReportsService, RiskService],
})
export class OversightModule {}
