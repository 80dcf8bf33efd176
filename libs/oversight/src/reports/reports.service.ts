import { Injectable } from '@nestjs/common';
import { AuditService, Clock, DomainError, OutboxService, Principal, canSeeDistrict, checkTransition, conflict, districtLikePattern, notFound, transitionOrThrow, unprocessable } from '@app/core';
import { DistrictPolicyService, InstitutionFactsService, OwnedInstitution } from '@app/registry';
import { DataSource, EntityManager } from 'typeorm';
import { Page, PageRequest, limitOffset, pageOf } from '../page';
import { MonthlyReportRow, MonthlyReportsRepository, ReportFilter } from './monthly-reports.repository';
import { OverdueSweep, OverdueSweepService } from './overdue-sweep.service';
import { ComputedFigures, ReportFiguresService } from './report-figures.service';
import { Discrepancy, ReportFigures, discrepancies } from './report-figures';
import { monthOf, reportDueDate } from './report-month';
import { REPORT_TRANSITIONS, ReportStatus } from './report-transitions';
import { REPORTING_STATUSES } from './reporting-statuses';

export interface ReportFiling extends ReportFigures {
  month: string;
  institutionId?: string;
}

/** A report as its readers see it: with its institution's name and what differs from the computed figures. */
export type ReportView = MonthlyReportRow & { institutionName: string; discrepancies: Discrepancy[] };

export type ReportPrefill = Omit<ComputedFigures, 'institutionId' | 'month'> & { institutionId: string; institutionName: string; month: string };

/**
 * Monthly operating reports, as institutions file them and regulators review them: one per institution
 * and month, replaceable until accepted (README). The figures come from ReportFiguresService, the
 * overdue rows from OverdueSweepService.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: MonthlyReportsRepository,
    private readonly figures: ReportFiguresService,
    private readonly sweep: OverdueSweepService,
    private readonly register: InstitutionFactsService,
    private readonly policies: DistrictPolicyService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * Files (or re-files) the report of one of the owner's institutions. A report replaces the earlier
   * filing of the same month unless that one was accepted. It is late when filed after the due day, or
   * over an 'overdue' row; a corrected filing keeps the lateness of the first.
   */
  async file(owner: Principal, filing: ReportFiling): Promise<ReportView> {
    const institution = await this.resolveInstitution(owner, filing.institutionId);
    this.assertReportableMonth(filing.month);
    if (filing.fullTimeTeachers > filing.teachers) {
      throw unprocessable('REPORT.INCONSISTENT_FIGURES', 'There cannot be more full-time teachers than teachers.', {
        errors: [{ field: 'fullTimeTeachers', message: 'must not exceed teachers' }],
      });
    }
    const policy = await this.policies.policyOf(institution.districtCode);
    const lateByDate = this.clock.today() > reportDueDate(filing.month, policy.reportDueDay);
    return this.dataSource.transaction(async (manager) => {
      const existing = await this.reports.lockOfMonth(manager, institution.id, filing.month);
      if (!checkTransition(REPORT_TRANSITIONS, 'file', existing?.status ?? 'absent', 'institution').ok) throw this.alreadyAccepted(existing?.id);
      const saved = await this.reports.file(manager, {
        ...filing,
        institutionId: institution.id,
        districtCode: institution.districtCode,
        lateByDate,
        at: this.clock.now(),
      });
      // Accepted between our read and our write (only possible for a row that did not exist yet).
      if (!saved) throw this.alreadyAccepted(existing?.id);
      await this.audit.record(manager, {
        action: 'report.filed',
        targetType: 'monthly_report',
        targetId: saved.id,
        districtCode: institution.districtCode,
        details: { institutionId: institution.id, month: filing.month, late: saved.late, replaced: existing?.status ?? null },
      });
      await this.outbox.add(manager, 'report.filed', { institutionId: institution.id, reportId: saved.id, month: filing.month, late: saved.late });
      return this.view(manager, saved.id);
    });
  }

  /** The figures the platform knows for one of the owner's institutions and a month, to pre-fill the form. */
  async prefill(owner: Principal, month: string, institutionId?: string): Promise<ReportPrefill> {
    const institution = await this.resolveInstitution(owner, institutionId);
    this.assertReportableMonth(month);
    const [{ institutionId: _id, month: _month, ...figures }] = await this.figures.compute([{ institutionId: institution.id, month }]);
    return { institutionId: institution.id, institutionName: institution.name, month, ...figures };
  }

  /** Reports the caller may see: an owner its institutions', a regulator its districts'. Each with its discrepancies. */
  async list(principal: Principal, filter: PageRequest & { month?: string; status?: ReportStatus; institutionId?: string }): Promise<Page<ReportView>> {
    const db = this.dataSource.manager;
    const reportFilter: ReportFilter = {
      scope:
        principal.role === 'institution'
          ? { institutionIds: (await this.register.ownedBy(principal.id)).map((institution) => institution.id) }
          : { districtPattern: districtLikePattern(principal) ?? '-' },
      month: filter.month ?? null,
      status: filter.status ?? null,
      institutionId: filter.institutionId ?? null,
    };
    const names = await this.namesOf(await this.reports.institutionsOf(db, reportFilter));
    const { items, total } = await this.reports.page(db, reportFilter, { names, ...limitOffset(filter) });
    return pageOf(await this.views(items, names), total, filter);
  }

  async get(principal: Principal, id: string): Promise<ReportView> {
    const row = await this.findVisible(this.dataSource.manager, principal, id);
    const [item] = await this.views([row], await this.namesOf([row.institutionId]));
    return item;
  }

  /** A regulator in scope accepts or returns a filed report. Accepted is final; returned waits for a new filing. */
  async review(regulator: Principal, id: string, decision: 'accept' | 'return', note: string | null): Promise<ReportView> {
    return this.dataSource.transaction(async (manager) => {
      const report = await this.findVisible(manager, regulator, id, true);
      // accept and return lead to a stored state, never back to 'absent'.
      const status = transitionOrThrow(REPORT_TRANSITIONS, decision, report.status, 'regulator', { code: 'REPORT.INVALID_STATE', subject: 'the report' }) as ReportStatus;
      await this.reports.review(manager, id, { status, reviewerId: regulator.id, note, at: this.clock.now() });
      await this.audit.record(manager, {
        action: `report.${status}`,
        targetType: 'monthly_report',
        targetId: id,
        reason: note,
        districtCode: report.districtCode,
        details: { institutionId: report.institutionId, month: report.month },
      });
      await this.outbox.add(manager, 'report.reviewed', { institutionId: report.institutionId, reportId: id, month: report.month, decision });
      return this.view(manager, id);
    });
  }

  /** The overdue sweep (OverdueSweepService), where the `reports` queue's processor calls it. */
  markOverdue(businessDate?: string): Promise<OverdueSweep> {
    return this.sweep.markOverdue(businessDate);
  }

  /** The owner's institution that the report is for: the one named, or the only licensed one it holds. */
  private async resolveInstitution(owner: Principal, institutionId?: string): Promise<OwnedInstitution> {
    const owned = await this.register.ownedBy(owner.id, institutionId);
    if (institutionId) {
      const [institution] = owned;
      if (!institution) throw notFound('The institution', 'INSTITUTION.NOT_FOUND');
      if (!REPORTING_STATUSES.includes(institution.status)) {
        throw conflict('LICENCE.NOT_LICENSED', `Monthly reports are filed by licensed institutions; this one is ${institution.status}.`, { currentStatus: institution.status });
      }
      return institution;
    }
    const reporting = owned.filter((institution) => REPORTING_STATUSES.includes(institution.status));
    if (reporting.length === 1) return reporting[0];
    if (!reporting.length) throw unprocessable('REPORT.NO_LICENSED_INSTITUTION', 'The account holds no licensed institution to report for.');
    throw unprocessable('REPORT.INSTITUTION_REQUIRED', 'The account holds more than one licensed institution: say which one with institutionId.', {
      errors: [{ field: 'institutionId', message: 'required when the account holds more than one licensed institution' }],
      institutions: reporting.map(({ id, name }) => ({ id, name })),
    });
  }

  /** A report covers a month that has begun: this one or an earlier one. */
  private assertReportableMonth(month: string): void {
    const current = monthOf(this.clock.today());
    if (month > current) {
      throw unprocessable('REPORT.FUTURE_MONTH', `A report can be filed for ${current} or an earlier month, not ${month}.`, {
        errors: [{ field: 'month', message: 'must be the current or an earlier month' }],
      });
    }
  }

  /** 404 for a report the caller may not see: an owner sees its institutions', a regulator its districts'. */
  private async findVisible(manager: EntityManager, principal: Principal, id: string, lock = false): Promise<MonthlyReportRow> {
    const row = await this.reports.byId(manager, id, lock);
    if (!row || !(await this.canSee(principal, row))) throw notFound('The report', 'REPORT.NOT_FOUND');
    return row;
  }

  private async canSee(principal: Principal, row: MonthlyReportRow): Promise<boolean> {
    if (principal.role === 'institution') return (await this.register.ownedBy(principal.id, row.institutionId)).length > 0;
    return canSeeDistrict(principal, row.districtCode);
  }

  private alreadyAccepted(reportId?: string): DomainError {
    return conflict('REPORT.ALREADY_ACCEPTED', 'The report of this month was accepted: it can no longer be replaced.', { reportId, currentStatus: 'accepted' });
  }

  private async view(manager: EntityManager, id: string): Promise<ReportView> {
    const row = (await this.reports.byId(manager, id))!;
    const [item] = await this.views([row], await this.namesOf([row.institutionId]));
    return item;
  }

  private async namesOf(institutionIds: string[]): Promise<Map<string, string>> {
    return new Map([...(await this.register.of(institutionIds)).values()].map((institution) => [institution.id, institution.name]));
  }

  /** The rows with their institutions' names and their discrepancies (none for an overdue row: nothing was filed). */
  private async views(rows: MonthlyReportRow[], names: ReadonlyMap<string, string>): Promise<ReportView[]> {
    const computed = await this.figures.compute(rows.map((row) => ({ institutionId: row.institutionId, month: row.month })));
    return rows.map(({ id, institutionId, ...row }, index) => ({
      id,
      institutionId,
      institutionName: names.get(institutionId)!,
      ...row,
      discrepancies: row.status === 'overdue' ? [] : discrepancies(row, computed[index]),
    }));
  }
}
