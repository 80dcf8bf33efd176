import { Injectable } from '@nestjs/common';
import {
  AuditService,
  Clock,
  Db,
  DomainError,
  NotificationsService,
  OutboxService,
  Principal,
  ReferenceDataService,
  WorkingDayCalendar,
  canSeeDistrict,
  conflict,
  nameBasedUuid,
  notFound,
  transitionOrThrow,
  yuanText,
} from '@app/core';
import { addDays, shanghaiDate, shanghaiMidnight, shanghaiTimeOfDay } from '@app/core/calendar/shanghai-time';
import { LedgerService, TransferRequest } from '@app/ledger';
import { CourseTerms, DistrictPolicy, DistrictPolicyService, EnrolmentService, TEACHING_STATUSES } from '@app/registry';
import { DataSource } from 'typeorm';
import { ContractsRepository } from '../contracts/contracts.repository';
import { accountsOf, escrowOf } from '../tuition-accounts';
import { CONSUMPTION_TRANSITIONS, ConsumptionAction } from './consumption-transitions';
import { lessonTimeBreaches } from './lesson-time-rules';
import { ConsumptionRow, ConsumptionView, LessonConsumption, LessonRow, LessonsRepository } from './lessons.repository';

const CONSUMPTION_REFUSAL = { code: 'CONSUMPTION.INVALID_STATE', subject: 'the lesson' };

/** How far ahead of the platform's clock a lesson's start may lie: the institution's clock may run fast. */
const CLOCK_SKEW_MS = 15 * 60 * 1000;

const outOfWindow = (detail: string, extras: Record<string, unknown>) => new DomainError(422, 'LESSON.OUT_OF_WINDOW', detail, extras);

/** What a parent is told of a lesson recorded on their contract: when, what it costs, by when to answer. */
function lessonNotice(course: CourseTerms, startsAt: Date, amountFen: number, autoConfirmAt: Date): { kind: string; title: string; body: string } {
  const lastDay = shanghaiDate(new Date(autoConfirmAt.getTime() - 1));
  return {
    kind: 'lesson.recorded',
    title: '新课时待确认',
    body:
      `${course.institutionName}「${course.courseName}」记录了 ${shanghaiDate(startsAt)} ${shanghaiTimeOfDay(startsAt)} 的一节课，${yuanText(amountFen)}。` +
      `请在 ${lastDay} 之内确认或提出异议；逾期未处理视为确认，费用将从托管账户划转给机构。`,
  };
}

export interface NewLesson {
  courseId: string;
  startsAt: Date;
  minutes: number;
  contractIds: string[];
}

export type RecordedLesson = LessonRow & { consumptions: LessonConsumption[] };

@Injectable()
export class LessonsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lessons: LessonsRepository,
    private readonly contracts: ContractsRepository,
    private readonly ledger: LedgerService,
    private readonly enrolment: EnrolmentService,
    private readonly policies: DistrictPolicyService,
    private readonly reference: ReferenceDataService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * Records one lesson for a whole class: a pending transfer escrow → payable per pupil, all in one
   * transaction. Any pupil's contract that cannot pay refuses the whole roll call.
   */
  async record(owner: Principal, lesson: NewLesson, operationKey: string): Promise<RecordedLesson> {
    const lessonId = nameBasedUuid('lesson', owner.id, operationKey);
    const course = await this.enrolment.courseOfOwner(this.dataSource.manager, owner, lesson.courseId);
    // Stopping enrolment (停止招生) lets lessons go on; suspension stops them (docs/domain.md, “Licences”).
    if (!TEACHING_STATUSES.includes(course.status))
      throw conflict('LICENCE.NOT_LICENSED', `Lessons can be recorded only by a licensed institution; this one is ${course.status}.`, {
        currentStatus: course.status,
      });
    const policy = await this.policies.policyOf(course.districtCode);
    const calendar = await this.reference.workingDayCalendar();
    this.assertAllowedTime(course, lesson, policy, calendar);
    const now = this.clock.now();
    if (lesson.startsAt.getTime() > now.getTime() + CLOCK_SKEW_MS)
      throw outOfWindow('The lesson has not happened yet: record it once it has.', { reason: 'future' });
    // The parent's window runs from the notice, which goes out with the recording (docs/domain.md, “Escrow ledger”), not from the lesson.
    const autoConfirmAt = shanghaiMidnight(addDays(calendar.addWorkingDays(shanghaiDate(now), policy.confirmWindowWorkingDays), 1));
    const lessonDate = shanghaiDate(lesson.startsAt);
    const contractIds = [...new Set(lesson.contractIds)].sort();

    return this.dataSource.transaction(async (manager) => {
      if (await this.lessons.exists(manager, lessonId)) return this.lessons.lessonWithConsumptions(manager, lessonId);
      const contracts = new Map((await this.contracts.lock(manager, contractIds)).map((contract) => [contract.id, contract]));
      const usage = new Map((await this.lessons.usage(manager, contractIds)).map((use) => [use.contractId, use]));
      for (const contractId of contractIds) {
        const contract = contracts.get(contractId);
        if (!contract || contract.courseId !== course.courseId) {
          throw new DomainError(422, 'LESSON.CONTRACT_NOT_IN_COURSE', `Contract ${contractId} is not a contract of this course.`, { contractId });
        }
        if (contract.paidFen <= 0)
          throw outOfWindow(`Contract ${contractId} holds no money the bank has confirmed.`, { reason: 'no_confirmed_money', contractId });
        if (lessonDate < contract.startDate || lessonDate > contract.endDate) {
          throw outOfWindow(`The lesson on ${lessonDate} falls outside contract ${contractId} (${contract.startDate} – ${contract.endDate}).`, {
            reason: 'outside_contract_dates',
            contractId,
          });
        }
        if (contract.status !== 'active')
          throw new DomainError(409, 'CONTRACT.NOT_ACTIVE', `Contract ${contractId} is ${contract.status}.`, { contractId, currentStatus: contract.status });
        const use = usage.get(contractId)!;
        if (use.openRefund) throw new DomainError(409, 'CONTRACT.REFUND_PENDING', `Contract ${contractId} has a refund request open.`, { contractId });
        if (use.used >= contract.lessons) throw new DomainError(409, 'CONTRACT.NO_LESSONS_LEFT', `Contract ${contractId} has no lessons left.`, { contractId });
      }
      const shares = contractIds.map((contractId) => ({
        id: nameBasedUuid('consumption', lessonId, contractId),
        contractId,
        amountFen: contracts.get(contractId)!.lessonPriceFen,
      }));
      // The rows come back from the inserts (RETURNING) in the shape of the lesson's answer: no second read.
      const recorded = await this.lessons.insertLesson(manager, {
        id: lessonId,
        institutionId: course.institutionId,
        courseId: course.courseId,
        startsAt: lesson.startsAt,
        minutes: lesson.minutes,
        createdAt: now,
      });
      const consumptions = await this.lessons.insertConsumptions(
        manager,
        { id: lessonId, institutionId: course.institutionId, autoConfirmAt, createdAt: now },
        shares,
      );
      const payable = accountsOf(course.institutionId).payable;
      await this.ledger.apply(
        manager,
        shares.map((share): TransferRequest => ({
          id: share.id,
          kind: 'pending',
          code: 'lesson',
          debitAccountId: escrowOf(share.contractId),
          creditAccountId: payable,
          amount: share.amountFen,
          contractId: share.contractId,
          referenceId: lessonId,
        })),
      );
      await this.notifications.deliverEach(
        manager,
        shares.map((share) => ({
          sourceId: share.id,
          userId: contracts.get(share.contractId)!.parentUserId,
          ...lessonNotice(course, lesson.startsAt, share.amountFen, autoConfirmAt),
          data: { consumptionId: share.id, contractId: share.contractId, lessonId, amountFen: share.amountFen, startsAt: lesson.startsAt, autoConfirmAt },
        })),
      );
      const totalFen = shares.reduce((sum, share) => sum + share.amountFen, 0);
      await this.audit.record(manager, {
        action: 'lesson.recorded',
        targetType: 'lesson',
        targetId: lessonId,
        districtCode: course.districtCode,
        details: { pupils: shares.length, totalFen },
      });
      await this.outbox.add(manager, 'lesson.recorded', { institutionId: course.institutionId, lessonId, pupils: shares.length, totalFen });
      // Ordered by contract, as a replay's read answers: uuids compare as their lower-case text does.
      return { ...recorded, consumptions: consumptions.sort((a, b) => (a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0)) };
    });
  }

  async confirm(parent: Principal, consumptionId: string): Promise<ConsumptionView> {
    return this.settleOne(parent, consumptionId, 'confirm', null);
  }

  async dispute(parent: Principal, consumptionId: string, reason: string | null): Promise<ConsumptionView> {
    return this.dataSource.transaction(async (manager) => {
      const consumption = await this.lockConsumption(manager, consumptionId, parent);
      const to = transitionOrThrow(CONSUMPTION_TRANSITIONS, 'dispute', consumption.status, 'parent', CONSUMPTION_REFUSAL);
      const disputed = await this.lessons.dispute(manager, consumptionId, to, reason);
      await this.outbox.add(manager, 'lesson.disputed', { institutionId: consumption.institutionId, consumptionId });
      return disputed;
    });
  }

  /** A regulator's decision on a disputed lesson: the pending transfer is posted or voided. */
  async resolve(regulator: Principal, consumptionId: string, outcome: 'confirm' | 'void', reason: string): Promise<ConsumptionView> {
    return this.settleOne(regulator, consumptionId, outcome, reason);
  }

  /**
   * Posts every pending consumption whose confirmation window has passed, in batches of `batchSize`,
   * each batch one transaction with SKIP LOCKED: several workers share the work and a second run finds
   * nothing left to do. ('pending' is the auto_confirm transition's one source state.)
   */
  async autoConfirmDue(batchSize = 2000): Promise<number> {
    let total = 0;
    for (;;) {
      const confirmed = await this.dataSource.transaction(async (manager) => {
        const ids = await this.lessons.lockDue(manager, this.clock.now(), batchSize);
        if (!ids.length) return 0;
        await this.ledger.apply(
          manager,
          ids.map((id) => ({ id: nameBasedUuid('confirm', id), kind: 'post_pending' as const, pendingId: id, code: 'lesson_confirmed', referenceId: id })),
        );
        await this.lessons.resolve(manager, ids, CONSUMPTION_TRANSITIONS.auto_confirm.to, this.clock.now());
        await this.audit.record(manager, {
          action: 'lessons.auto_confirmed',
          targetType: 'consumption_batch',
          targetId: ids[0],
          actor: { id: null, role: 'system' },
          details: { count: ids.length },
        });
        return ids.length;
      });
      total += confirmed;
      if (confirmed < batchSize) return total;
    }
  }

  private async settleOne(principal: Principal, consumptionId: string, outcome: 'confirm' | 'void', reason: string | null): Promise<ConsumptionView> {
    return this.dataSource.transaction(async (manager) => {
      const consumption = await this.lockConsumption(manager, consumptionId, principal.role === 'parent' ? principal : undefined);
      if (principal.role === 'regulator' && !canSeeDistrict(principal, consumption.districtCode)) throw notFound('The lesson', 'CONSUMPTION.NOT_FOUND');
      const action: ConsumptionAction = principal.role === 'parent' ? 'confirm' : outcome === 'confirm' ? 'resolve_confirm' : 'resolve_void';
      const to = transitionOrThrow(CONSUMPTION_TRANSITIONS, action, consumption.status, principal.role, CONSUMPTION_REFUSAL);
      const resolution = { pendingId: consumptionId, contractId: consumption.contractId, referenceId: consumptionId };
      await this.ledger.apply(manager, [
        outcome === 'confirm'
          ? { id: nameBasedUuid('confirm', consumptionId), kind: 'post_pending', code: 'lesson_confirmed', ...resolution }
          : { id: nameBasedUuid('void', consumptionId), kind: 'void_pending', code: 'lesson_voided', ...resolution },
      ]);
      const updated = await this.lessons.resolveOne(manager, consumptionId, to, this.clock.now());
      await this.audit.record(manager, {
        action: principal.role === 'parent' ? 'lesson.confirmed' : `lesson.dispute_${outcome === 'confirm' ? 'confirmed' : 'voided'}`,
        targetType: 'consumption',
        targetId: consumptionId,
        reason,
        districtCode: consumption.districtCode,
        details: { amountFen: consumption.amountFen, contractId: consumption.contractId },
      });
      await this.outbox.add(manager, outcome === 'confirm' ? 'lesson.confirmed' : 'lesson.voided', { institutionId: consumption.institutionId, consumptionId });
      return updated;
    });
  }

  private async lockConsumption(db: Db, consumptionId: string, parent?: Principal): Promise<ConsumptionRow> {
    const row = await this.lessons.lockConsumption(db, consumptionId);
    if (!row || (parent && row.parentUserId !== parent.id)) throw notFound('The lesson', 'CONSUMPTION.NOT_FOUND');
    return row;
  }

  /** Refuses a lesson that breaks a lesson-time rule (lesson-time-rules.ts), naming the first it breaks. */
  private assertAllowedTime(course: CourseTerms, lesson: NewLesson, policy: DistrictPolicy, calendar: WorkingDayCalendar): void {
    const [breach] = lessonTimeBreaches(lesson, course, policy, calendar);
    if (!breach) return;
    switch (breach.rule) {
      case 'LESSON_TOO_LONG':
        throw new DomainError(422, 'POLICY.LESSON_TOO_LONG', `An ${breach.delivery} lesson may last at most ${breach.maxMinutes} minutes.`);
      case 'OUTSIDE_ALLOWED_HOURS':
        throw new DomainError(
          422,
          'POLICY.OUTSIDE_ALLOWED_HOURS',
          `${breach.delivery === 'online' ? 'Online' : 'Offline'} lessons must end by ${breach.latestEnd} (Asia/Shanghai).`,
          {
            latestEnd: breach.latestEnd,
          },
        );
      case 'REST_DAY':
        throw new DomainError(422, 'POLICY.REST_DAY', `Subject training may not take place on weekends or public holidays: ${breach.date} is a rest day.`, {
          date: breach.date,
        });
    }
  }
}
