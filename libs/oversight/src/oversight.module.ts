import { Module } from '@nestjs/common';
import { RegistryModule } from '@app/registry';
import { MoneyAlertsService } from './alerts/money-alerts.service';
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
import { AlertsRepository } from './risk/alerts.repository';
import { RiskFactsService } from './risk/risk-facts.service';
import { RiskFlagsRepository } from './risk/risk-flags.repository';
import { RiskService } from './risk/risk.service';

/**
 * Oversight (docs/domain.md, “Risk and reports”): risk, monthly reports, complaints, reconciliation and reduction tracking. It
 * queries its own tables only; the register and tuition are read through their facts services.
 */
@Module({
  imports: [RegistryModule, TuitionModule],
  providers: [
    MoneyAlertsService,
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
    AlertsRepository,
    RiskFactsService,
    RiskFlagsRepository,
    RiskService,
  ],
  exports: [
    MoneyAlertsService,
    ComplaintsService,
    ReconciliationService,
    ReductionService,
    OverdueSweepService,
    ReportFiguresService,
    ReportsService,
    RiskFactsService,
    RiskService,
  ],
})
export class OversightModule {}
