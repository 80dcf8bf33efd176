import { Module } from '@nestjs/common';
import { RegistryModule } from '@app/registry';
import { MoneyAlertsRepository } from './alerts/money-alerts.repository';
import { MoneyAlertsService } from './alerts/money-alerts.service';
import { ComplaintsService } from './complaints/complaints.service';
import { ReconciliationService } from './reconciliation/reconciliation.service';
import { ReductionService } from './reduction/reduction.service';
import { ReportsService } from './reports/reports.service';
import { RiskFactsRepository } from './risk/risk-facts.repository';
import { RiskService } from './risk/risk.service';

/** Oversight (DESIGN §7): risk, monthly reports, complaints and reduction tracking. */
@Module({
  imports: [RegistryModule],
  providers: [
    MoneyAlertsRepository,
    MoneyAlertsService,
    ReportsService,
    ReductionService,
    RiskService,
    RiskFactsRepository,
    ComplaintsService,
    ReconciliationService,
  ],
  exports: [MoneyAlertsService, ReportsService, ReductionService, RiskService, ComplaintsService, ReconciliationService],
})
export class OversightModule {}
