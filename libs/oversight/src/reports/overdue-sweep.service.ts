import { Injectable, Logger } from '@nestjs/common';
import { AuditService, Clock, OutboxService } from '@app/core';
import { DistrictPolicyService, InstitutionFactsService } from '@app/registry';
import { DataSource } from 'typeorm';
import { MonthlyReportsRepository } from './monthly-reports.repository';
import { REPORTING_STATUSES } from './reporting-statuses';
import { addMonths, monthInstants, monthOf } from './report-month';

export interface OverdueSweep {
  businessDate: string;
  month: string;
  marked: Array<{ reportId: string; institutionId: string }>;
}

/**
 * The `reports/mark-overdue` job: after the district's due day, every licensed or suspended
 * institution that has no report for the previous month gets an 'overdue' row (which the risk rules
 * read), audited as the system, with a 'report.overdue' event. Institutions first licensed after that
 * month ended owe nothing for it. A second run (or a filing in between) adds nothing.
 */
@Injectable()
export class OverdueSweepService {
  private readonly logger = new Logger(OverdueSweepService.name);

  constructor(
    private readonly reports: MonthlyReportsRepository,
    private readonly register: InstitutionFactsService,
    private readonly policies: DistrictPolicyService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** `businessDate` (default today) names the day of the sweep, so a test or a re-run can choose it. */
  async markOverdue(businessDate?: string): Promise<OverdueSweep> {
    const today = businessDate ?? this.clock.today();
    const month = addMonths(monthOf(today), -1);
    const day = Number(today.slice(8, 10));
    const owing = await this.register.approvedBefore(REPORTING_STATUSES, monthInstants(month).to);
    const byDistrict = new Map<string, string[]>();
    for (const { id, districtCode } of owing) {
      if (!byDistrict.has(districtCode)) byDistrict.set(districtCode, []);
      byDistrict.get(districtCode)!.push(id);
    }
    const marked: OverdueSweep['marked'] = [];
    for (const districtCode of [...byDistrict.keys()].sort()) {
      const policy = await this.policies.policyOf(districtCode);
      if (day <= policy.reportDueDay) continue;
      await this.dataSource.transaction(async (manager) => {
        const inserted = await this.reports.markOverdue(manager, { institutionIds: byDistrict.get(districtCode)!, districtCode, month, at: this.clock.now() });
        for (const row of inserted) {
          await this.audit.record(manager, {
            action: 'report.overdue',
            targetType: 'monthly_report',
            targetId: row.id,
            districtCode,
            reason: `no report for ${month} by day ${policy.reportDueDay}`,
            details: { institutionId: row.institutionId, month },
            actor: { id: null, role: 'system' },
          });
          await this.outbox.add(manager, 'report.overdue', { institutionId: row.institutionId, reportId: row.id, month });
          marked.push({ reportId: row.id, institutionId: row.institutionId });
        }
      });
    }
    if (marked.length) this.logger.log(`${marked.length} reports for ${month} marked overdue`);
    return { businessDate: today, month, marked };
  }
}
