import { Injectable } from '@nestjs/common';
import {
  AuditService,
  Clock,
  DomainError,
  OutboxService,
  Principal,
  ReferenceDataService,
  canSeeDistrict,
  districtLikePattern,
  notFound,
  transitionOrThrow,
} from '@app/core';
import { addDays, shanghaiMidnight } from '@app/core/calendar/shanghai-time';
import { DistrictPolicyService, InstitutionFactsService, InstitutionStatus } from '@app/registry';
import { TuitionFactsService } from '@app/tuition';
import { DataSource } from 'typeorm';
import { Page, PageRequest, limitOffset, pageOf } from '../page';
import { ComplaintCategory } from './complaint-categories';
import { COMPLAINT_TRANSITIONS, ComplaintAction, ComplaintStatus, UNHANDLED_COMPLAINT_STATUSES } from './complaint-transitions';
import { ComplaintRow, ComplaintScope, ComplaintsRepository, ReportedUnlicensedRow } from './complaints.repository';

/** A complaint with whether its handling deadline has passed while it still awaits a decision. */
export type ComplaintView = ComplaintRow & { overdue: boolean };

/** docs/domain.md, "Complaints": a parent files at most this many complaints per Asia/Shanghai day. */
export const COMPLAINTS_PER_PARENT_PER_DAY = 5;

export type ReportedUnlicensed = ReportedUnlicensedRow;

export interface NewComplaint {
  institutionId?: string;
  institutionName?: string;
  districtCode?: string;
  category: ComplaintCategory;
  description: string;
  contractId?: string;
}

/** A parent may complain about an institution that holds or held a licence: one that is in the public register. */
const COMPLAINABLE_STATUSES: readonly InstitutionStatus[] = ['licensed', 'suspended', 'enrolment_stopped', 'revoked', 'expired', 'closed'];

@Injectable()
export class ComplaintsService {
  constructor(
    private readonly complaints: ComplaintsRepository,
    private readonly register: InstitutionFactsService,
    private readonly policies: DistrictPolicyService,
    private readonly tuition: TuitionFactsService,
    private readonly reference: ReferenceDataService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** A parent complains about a registered institution, or about a name that is not in the register. */
  async file(parent: Principal, complaint: NewComplaint): Promise<ComplaintView> {
    const { institutionName, districtCode } = await this.subjectOf(complaint);
    const district = await this.reference.findDistrict(districtCode);
    if (!district?.cityCode)
      throw new DomainError(422, 'REFERENCE.UNKNOWN_DISTRICT', `${districtCode} is not a district the platform serves.`, {
        errors: [{ field: 'districtCode', message: 'unknown district' }],
      });
    if (complaint.contractId && !(await this.tuition.isParentOf(complaint.contractId, parent.id))) throw notFound('The contract', 'CONTRACT.NOT_FOUND');
    await this.assertWithinDailyLimit(parent.id);
    const dueOn = await this.dueOn(districtCode);
    return this.dataSource.transaction(async (manager) => {
      const id = (await this.complaints.insert(manager, {
        parentUserId: parent.id,
        institutionId: complaint.institutionId ?? null,
        institutionName,
        districtCode,
        category: complaint.category,
        description: complaint.description,
        contractId: complaint.contractId ?? null,
        refundRequestId: null,
        dueOn,
        at: this.clock.now(),
      }))!;
      await this.outbox.add(manager, 'complaint.filed', {
        complaintId: id,
        institutionId: complaint.institutionId ?? undefined,
        districtCode,
        category: complaint.category,
      });
      return this.view((await this.complaints.byId(manager, id))!);
    });
  }

  /**
   * The 6th complaint of a parent in one Asia/Shanghai day is refused until the next day begins. Counted
   * in the database for now; kept behind this one method so that the count can move to a shared store.
   */
  private async assertWithinDailyLimit(parentUserId: string): Promise<void> {
    const today = this.clock.today();
    const filed = await this.complaints.countFiledSince(this.dataSource.manager, parentUserId, shanghaiMidnight(today));
    if (filed < COMPLAINTS_PER_PARENT_PER_DAY) return;
    const retryAfter = Math.ceil((shanghaiMidnight(addDays(today, 1)).getTime() - this.clock.now().getTime()) / 1000);
    throw new DomainError(429, 'COMPLAINT.DAILY_LIMIT', `A parent files at most ${COMPLAINTS_PER_PARENT_PER_DAY} complaints a day; try again tomorrow.`, {
      retryAfter,
    });
  }

  /** The handling deadline of a complaint filed today: the district's `complaintWorkingDays` working days on. */
  private async dueOn(districtCode: string): Promise<string> {
    // The policy field arrives with the registry's policy revision; until a district sets it, the default holds.
    const policy = await this.policies.policyOf(districtCode);
    const calendar = await this.reference.workingDayCalendar();
    return calendar.addWorkingDays(this.clock.today(), policy.complaintWorkingDays);
  }

  private view(row: ComplaintRow): ComplaintView {
    const overdue = row.dueOn !== null && UNHANDLED_COMPLAINT_STATUSES.includes(row.status) && this.clock.today() > row.dueOn;
    return { ...row, overdue };
  }

  /** The registered institution complained about, or the name and district given for one not in the register. */
  private async subjectOf(complaint: NewComplaint): Promise<{ institutionName: string; districtCode: string }> {
    if (complaint.institutionId) {
      const institution = (await this.register.of([complaint.institutionId])).get(complaint.institutionId);
      if (!institution || !COMPLAINABLE_STATUSES.includes(institution.status)) throw notFound('The institution', 'INSTITUTION.NOT_FOUND');
      return { institutionName: institution.name, districtCode: institution.districtCode };
    }
    const institutionName = complaint.institutionName?.trim();
    if (!institutionName || !complaint.districtCode) {
      throw new DomainError(422, 'COMPLAINT.INSTITUTION_REQUIRED', 'Name the institution: its id, or for one not in the register its name and district.', {
        errors: [{ field: 'institutionName', message: 'required without institutionId, with districtCode' }],
      });
    }
    return { institutionName, districtCode: complaint.districtCode };
  }

  /** A refund the institution rejected goes to the regulators as a complaint, once. */
  async fromRejectedRefund(refundRequestId: string, reason: string): Promise<boolean> {
    const refund = await this.tuition.refundRequest(refundRequestId);
    if (refund?.status !== 'rejected') return false;
    const institution = (await this.register.of([refund.institutionId])).get(refund.institutionId)!;
    const id = await this.complaints.insert(this.dataSource.manager, {
      parentUserId: refund.parentUserId,
      institutionId: institution.id,
      institutionName: institution.name,
      districtCode: institution.districtCode,
      category: 'refund_refused',
      description: `退费被拒：${reason}`,
      contractId: refund.contractId,
      refundRequestId: refund.id,
      dueOn: await this.dueOn(institution.districtCode),
      at: this.clock.now(),
    });
    return id !== undefined;
  }

  /** A parent's own complaints, those about an owner's institutions, or those of a regulator's districts; newest first. */
  async list(principal: Principal, filter: PageRequest & { status?: ComplaintStatus }): Promise<Page<ComplaintView>> {
    const { items, total } = await this.complaints.page(this.dataSource.manager, {
      scope: await this.scopeOf(principal),
      status: filter.status ?? null,
      ...limitOffset(filter),
    });
    return pageOf(
      items.map((row) => this.view(row)),
      total,
      filter,
    );
  }

  private async scopeOf(principal: Principal): Promise<ComplaintScope> {
    if (principal.role === 'parent') return { parentUserId: principal.id };
    if (principal.role === 'institution') return { institutionIds: (await this.register.ownedBy(principal.id)).map((owned) => owned.id) };
    return { districtPattern: districtLikePattern(principal) ?? '-' };
  }

  /** The institution answers a complaint about it; the parent and the regulators see the answer. */
  async answer(owner: Principal, id: string, answer: string): Promise<ComplaintView> {
    return this.dataSource.transaction(async (manager) => {
      const complaint = await this.complaints.lock(manager, id);
      const owned = complaint?.institutionId ? await this.register.ownedBy(owner.id, complaint.institutionId) : [];
      if (!complaint || owned.length === 0) throw notFound('The complaint', 'COMPLAINT.NOT_FOUND');
      if (!UNHANDLED_COMPLAINT_STATUSES.includes(complaint.status) && complaint.status !== 'verified')
        throw new DomainError(409, 'COMPLAINT.CLOSED', `The complaint is ${complaint.status}: it takes no more answers.`);
      await this.complaints.answer(manager, id, answer, this.clock.now());
      await this.outbox.add(manager, 'complaint.updated', { complaintId: id, institutionId: complaint.institutionId ?? undefined, status: complaint.status });
      return this.view((await this.complaints.byId(manager, id))!);
    });
  }

  /** A regulator of the complaint's district moves it on, with a reply the parent sees. */
  async transition(regulator: Principal, id: string, action: ComplaintAction, reply: string): Promise<ComplaintView> {
    return this.dataSource.transaction(async (manager) => {
      const complaint = await this.complaints.lock(manager, id);
      if (!complaint || !canSeeDistrict(regulator, complaint.districtCode)) throw notFound('The complaint', 'COMPLAINT.NOT_FOUND');
      const to = transitionOrThrow(COMPLAINT_TRANSITIONS, action, complaint.status, 'regulator', {
        code: 'COMPLAINT.INVALID_TRANSITION',
        subject: 'a complaint',
      });
      await this.complaints.reply(manager, complaint, { to, reply, actorId: regulator.id, at: this.clock.now() });
      await this.audit.record(manager, {
        action: `complaint.${to}`,
        targetType: 'complaint',
        targetId: id,
        reason: reply,
        districtCode: complaint.districtCode,
      });
      await this.outbox.add(manager, 'complaint.updated', { complaintId: id, institutionId: complaint.institutionId ?? undefined, status: to });
      return this.view((await this.complaints.byId(manager, id))!);
    });
  }

  /** Complaints of the last 12 months that count in the risk rules, as parents see the count on the public page. */
  countLast12Months(institutionId: string): Promise<number> {
    return this.complaints.countLast12Months(this.dataSource.manager, institutionId, this.clock.now());
  }

  /** Names reported as operating without a licence (the black-list watch), matching a search. */
  reportedUnlicensed(q: string): Promise<ReportedUnlicensed[]> {
    return this.complaints.reportedUnlicensed(this.dataSource.manager, q);
  }
}
