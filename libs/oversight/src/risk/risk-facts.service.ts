import { Injectable } from '@nestjs/common';
import { Clock } from '@app/core';
import { shanghaiDate } from '@app/core/calendar/shanghai-time';
import { InstitutionFactsService } from '@app/registry';
import { CustodyMovementsService, TuitionFactsService } from '@app/tuition';
import { DataSource } from 'typeorm';
import { ComplaintsRepository } from '../complaints/complaints.repository';
import { ReconciliationRepository } from '../reconciliation/reconciliation.repository';
import { MonthlyReportsRepository } from '../reports/monthly-reports.repository';
import { RiskFacts } from './risk-rule';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Gathers the facts of a batch of institutions: the register's and tuition's through what those libs
 * export, oversight's own (complaints, overdue reports, the bank's statement lines) from its tables.
 * Every read takes the whole batch (a nightly scan of ten thousand institutions is ten batches of a
 * thousand, not ten thousand round trips), and the independent reads run side by side.
 */
@Injectable()
export class RiskFactsService {
  constructor(
    private readonly register: InstitutionFactsService,
    private readonly tuition: TuitionFactsService,
    private readonly movements: CustodyMovementsService,
    private readonly complaints: ComplaintsRepository,
    private readonly reports: MonthlyReportsRepository,
    private readonly statementLines: ReconciliationRepository,
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async factsOf(institutionIds: string[]): Promise<RiskFacts[]> {
    if (!institutionIds.length) return [];
    const now = this.clock.now();
    const today = shanghaiDate(now);
    const db = this.dataSource.manager;
    const institutions = [...(await this.register.of(institutionIds)).values()];
    const ids = institutions.map((institution) => institution.id);
    const [tuition, teachers, custodyBank, complaints, overdue] = await Promise.all([
      this.tuition.ofInstitutions(institutions, now),
      this.register.teachersOf(ids),
      this.movements.idsOf(ids).then((movements) => this.statementLines.custodyPerInstitution(db, movements)),
      this.complaints.countsSince(db, ids, new Date(now.getTime() - 30 * DAY_MS)),
      this.reports.overdueCounts(db, ids),
    ]);
    const count = (counts: Array<{ institutionId: string; count: number }>) => new Map(counts.map((row) => [row.institutionId, row.count]));
    const complaintCounts = count(complaints);
    const overdueCounts = count(overdue);
    return institutions.map((institution): RiskFacts => ({
      institutionId: institution.id,
      districtCode: institution.districtCode,
      category: institution.category,
      status: institution.status,
      today,
      licenceValidUntil: institution.licenceValidUntil,
      ...tuition.get(institution.id)!,
      custodyBankFen: custodyBank.get(institution.id) ?? null,
      complaints30d: complaintCounts.get(institution.id) ?? 0,
      overdueReports: overdueCounts.get(institution.id) ?? 0,
      unqualifiedSubjectTeachers: teachers.get(institution.id)!.unqualified,
      teachersNeverChecked: teachers.get(institution.id)!.neverChecked,
      oldestBackgroundCheck: teachers.get(institution.id)!.oldestBackgroundCheck,
    }));
  }
}
