import { Injectable } from '@nestjs/common';
import {
  AuditService,
  Clock,
  DomainError,
  OutboxService,
  Principal,
  ReferenceDataService,
  WorkingDayCalendar,
  canSeeDistrict,
  conflict,
  nameBasedUuid,
  notFound,
  transitionOrThrow,
} from '@app/core';
import { addDays, shanghaiDate, shanghaiMidnight, shanghaiTimeOfDay } from '@app/core/calendar/shanghai-time';
import { LedgerService, TransferRequest } from '@app/ledger';
import { DistrictPolicy, DistrictPolicyService, MAX_LESSON_MINUTES } from '@app/registry';
import { DataSource, EntityManager } from 'typeorm';
import { SELECT_CONTRACT, ContractRow } from '../contracts/contracts.service';
import { accountsOf, escrowOf } from '../tuition-accounts';
import { TuitionErrors } from '../tuition.errors';
import { CONSUMPTION_TRANSITIONS, ConsumptionAction, ConsumptionStatus } from './consumption-transitions';

const CONSUMPTION_REFUSAL = { code: 'CONSUMPTION.INVALID_STATE', subject: 'the lesson' };

export interface NewLesson {
  courseId: string;
  startsAt: Date;
  minutes: number;
  contractIds: string[];
}

interface ConsumptionRow {
  id: string;
  lessonId: string;
  contractId: string;
  institutionId: string;
  amountFen: number;
  status: ConsumptionStatus;
  autoConfirmAt: Date;
  parentUserId: string;
  districtCode: string;
}

const LESSON_VIEW_COLUMNS = `id, course_id AS "courseId", starts_at AS "startsAt", minutes`;
const LESSON_CONSUMPTION_COLUMNS = `id, contract_id AS "contractId", amount_fen AS "amountFen", status, auto_confirm_at AS "autoConfirmAt"`;
const CONSUMPTION_VIEW_COLUMNS = `id, lesson_id AS "lessonId", contract_id AS "contractId", amount_fen AS "amountFen", status, auto_confirm_at AS "autoConfirmAt",
  dispute_reason AS "disputeReason", resolved_at AS "resolvedAt"`;

const SELECT_CONSUMPTION = `SELECT s.id, s.lesson_id AS "lessonId", s.contract_id AS "contractId", s.institution_id AS "institutionId", s.amount_fen AS "amountFen",
  s.status, s.auto_confirm_at AS "autoConfirmAt", c.parent_user_id AS "parentUserId", c.district_code AS "districtCode"
  FROM consumptions s JOIN contracts c ON c.id = s.contract_id`;

@Injectable()
export class LessonsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly policies: DistrictPolicyService,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * Records one lesson for a whole class: a pending transfer escrow → payable per pupil, all in one
   * transaction. Any pupil's contract that cannot pay refuses the whole roll call.
   */
  async record(owner: Principal, lesson: NewLesson, operationKey: string) {
    const lessonId = nameBasedUuid('lesson', owner.id, operationKey);
    const [course] = await this.dataSource.query(
      `SELECT c.id, c.category, c.lesson_price_fen AS "lessonPriceFen", i.id AS "institutionId", i.district_code AS "districtCode", i.status, i.delivery
       FROM courses c JOIN institutions i ON i.id = c.institution_id WHERE c.id = $1 AND i.owner_user_id = $2`,
      [lesson.courseId, owner.id],
    );
    if (!course) throw notFound('The course', 'COURSE.NOT_FOUND');
    if (course.status !== 'licensed')
      throw conflict('LICENCE.NOT_LICENSED', `Lessons can be recorded only by a licensed institution; this one is ${course.status}.`, {
        currentStatus: course.status,
      });
    const policy = await this.policies.policyOf(course.districtCode);
    const calendar = await this.reference.workingDayCalendar();
    this.assertAllowedTime(course, lesson, policy, calendar);
    const lessonDate = shanghaiDate(lesson.startsAt);
    const autoConfirmAt = shanghaiMidnight(addDays(calendar.addWorkingDays(lessonDate, policy.confirmWindowWorkingDays), 1));
    const contractIds = [...new Set(lesson.contractIds)].sort();

    return this.dataSource.transaction(async (manager) => {
      const [existing] = await manager.query(`SELECT id FROM lessons WHERE id = $1`, [lessonId]);
      if (existing) return this.lessonView(manager, lessonId);
      const contracts: Array<ContractRow & { used: number; openRefund: boolean }> = await manager.query(
        `SELECT x.*, (SELECT count(*) FROM consumptions s WHERE s.contract_id = x.id AND s.status <> 'voided')::int AS used,
                EXISTS (SELECT 1 FROM refund_requests r WHERE r.contract_id = x.id AND r.status = 'requested') AS "openRefund"
         FROM (${SELECT_CONTRACT} WHERE c.id = ANY($1::uuid[]) ORDER BY c.id FOR NO KEY UPDATE) x`,
        [contractIds],
      );
      const byId = new Map(contracts.map((contract) => [contract.id, contract]));
      for (const contractId of contractIds) {
        const contract = byId.get(contractId);
        if (!contract || contract.courseId !== course.id) {
          throw new DomainError(422, 'LESSON.CONTRACT_NOT_IN_COURSE', `Contract ${contractId} is not a contract of this course.`, { contractId });
        }
        if (contract.status !== 'active')
          throw new DomainError(409, 'CONTRACT.NOT_ACTIVE', `Contract ${contractId} is ${contract.status}.`, { contractId, currentStatus: contract.status });
        if (contract.openRefund) throw new DomainError(409, 'CONTRACT.REFUND_PENDING', `Contract ${contractId} has a refund request open.`, { contractId });
        if (contract.used >= contract.lessons)
          throw new DomainError(409, 'CONTRACT.NO_LESSONS_LEFT', `Contract ${contractId} has no lessons left.`, { contractId });
      }
      // The rows come back from the inserts (RETURNING) in the shape of lessonView: no second read.
      const [recorded] = await manager.query(
        `INSERT INTO lessons (id, institution_id, course_id, starts_at, minutes, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${LESSON_VIEW_COLUMNS}`,
        [lessonId, course.institutionId, course.id, lesson.startsAt, lesson.minutes, this.clock.now()],
      );
      const consumptionIds = contractIds.map((contractId) => nameBasedUuid('consumption', lessonId, contractId));
      const consumptions: Array<{ contractId: string }> = await manager.query(
        `INSERT INTO consumptions (id, lesson_id, contract_id, institution_id, amount_fen, status, auto_confirm_at, created_at)
         SELECT id, $1, contract_id, $2, amount, 'pending', $3, $7 FROM unnest($4::uuid[], $5::uuid[], $6::bigint[]) AS x(id, contract_id, amount)
         RETURNING ${LESSON_CONSUMPTION_COLUMNS}`,
        [lessonId, course.institutionId, autoConfirmAt, consumptionIds, contractIds, contractIds.map((id) => byId.get(id)!.lessonPriceFen), this.clock.now()],
      );
      const payable = accountsOf(course.institutionId).payable;
      await this.ledger.apply(
        manager,
        contractIds.map((contractId, index): TransferRequest => ({
          id: consumptionIds[index],
          kind: 'pending',
          code: 'lesson',
          debitAccountId: escrowOf(contractId),
          creditAccountId: payable,
          amount: byId.get(contractId)!.lessonPriceFen,
          contractId,
          referenceId: lessonId,
        })),
      );
      const totalFen = contractIds.reduce((sum, id) => sum + byId.get(id)!.lessonPriceFen, 0);
      await this.audit.record(manager, {
        action: 'lesson.recorded',
        targetType: 'lesson',
        targetId: lessonId,
        districtCode: course.districtCode,
        details: { pupils: contractIds.length, totalFen },
      });
      await this.outbox.add(manager, 'lesson.recorded', { institutionId: course.institutionId, lessonId, pupils: contractIds.length, totalFen });
      // ORDER BY contract_id of lessonView: uuids compare as their lower-case text does.
      return { ...recorded, consumptions: consumptions.sort((a, b) => (a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0)) };
    });
  }

  async confirm(parent: Principal, consumptionId: string) {
    return this.settleOne(parent, consumptionId, 'confirm', null);
  }

  async dispute(parent: Principal, consumptionId: string, reason: string | null) {
    return this.dataSource.transaction(async (manager) => {
      const consumption = await this.lockConsumption(manager, consumptionId, parent);
      const to = transitionOrThrow(CONSUMPTION_TRANSITIONS, 'dispute', consumption.status, 'parent', CONSUMPTION_REFUSAL);
      await manager.query(`UPDATE consumptions SET status = $3, dispute_reason = $2 WHERE id = $1`, [consumptionId, reason, to]);
      await this.outbox.add(manager, 'lesson.disputed', { institutionId: consumption.institutionId, consumptionId });
      return this.consumptionView(manager, consumptionId);
    });
  }

  /** A regulator's decision on a disputed lesson: the pending transfer is posted or voided. */
  async resolve(regulator: Principal, consumptionId: string, outcome: 'confirm' | 'void', reason: string) {
    return this.settleOne(regulator, consumptionId, outcome, reason);
  }

  /**
   * Posts every pending consumption whose confirmation window has passed, in batches of `batchSize`,
   * each batch one transaction with SKIP LOCKED: several workers share the work and a second run finds
   * nothing left to do.
   */
  async autoConfirmDue(batchSize = 2000): Promise<number> {
    let total = 0;
    for (;;) {
      const confirmed = await this.dataSource.transaction(async (manager) => {
        const due: Array<{ id: string }> = await manager.query(
          // Oldest due first, in the order of the partial index on (auto_confirm_at) WHERE pending: each batch
          // reads just its rows. ORDER BY id made every batch walk the whole primary key past the rows
          // earlier batches had confirmed, and so grew with the backlog (bench/ledger: 100,000 due).
          // SKIP LOCKED never waits, so the order of these row locks cannot deadlock; accounts are
          // locked in id order by the ledger. 'pending' is the auto_confirm transition's one source state.
          `SELECT id FROM consumptions WHERE status = 'pending' AND auto_confirm_at <= $1 ORDER BY auto_confirm_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [this.clock.now(), batchSize],
        );
        if (!due.length) return 0;
        const ids = due.map((row) => row.id);
        await this.ledger.apply(
          manager,
          ids.map((id) => ({ id: nameBasedUuid('confirm', id), kind: 'post_pending' as const, pendingId: id, code: 'lesson_confirmed', referenceId: id })),
        );
        await manager.query(`UPDATE consumptions SET status = $3, resolved_at = $2 WHERE id = ANY($1::uuid[])`, [
          ids,
          this.clock.now(),
          CONSUMPTION_TRANSITIONS.auto_confirm.to,
        ]);
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

  private async settleOne(principal: Principal, consumptionId: string, outcome: 'confirm' | 'void', reason: string | null) {
    return this.dataSource.transaction(async (manager) => {
      const consumption = await this.lockConsumption(manager, consumptionId, principal.role === 'parent' ? principal : undefined);
      if (principal.role === 'regulator' && !canSeeDistrict(principal, consumption.districtCode)) throw notFound('The lesson', 'CONSUMPTION.NOT_FOUND');
      const action: ConsumptionAction = principal.role === 'parent' ? 'confirm' : outcome === 'confirm' ? 'resolve_confirm' : 'resolve_void';
      const to = transitionOrThrow(CONSUMPTION_TRANSITIONS, action, consumption.status, principal.role, CONSUMPTION_REFUSAL);
      await this.ledger.apply(manager, [
        outcome === 'confirm'
          ? {
              id: nameBasedUuid('confirm', consumptionId),
              kind: 'post_pending',
              pendingId: consumptionId,
              code: 'lesson_confirmed',
              contractId: consumption.contractId,
              referenceId: consumptionId,
            }
          : {
              id: nameBasedUuid('void', consumptionId),
              kind: 'void_pending',
              pendingId: consumptionId,
              code: 'lesson_voided',
              contractId: consumption.contractId,
              referenceId: consumptionId,
            },
      ]);
      const updated: unknown[] = await manager.query(
        `UPDATE consumptions SET status = $2, resolved_at = $3 WHERE id = $1 RETURNING ${CONSUMPTION_VIEW_COLUMNS}`,
        [consumptionId, to, this.clock.now()],
      );
      await this.audit.record(manager, {
        action: principal.role === 'parent' ? 'lesson.confirmed' : `lesson.dispute_${outcome === 'confirm' ? 'confirmed' : 'voided'}`,
        targetType: 'consumption',
        targetId: consumptionId,
        reason,
        districtCode: consumption.districtCode,
        details: { amountFen: consumption.amountFen, contractId: consumption.contractId },
      });
      await this.outbox.add(manager, outcome === 'confirm' ? 'lesson.confirmed' : 'lesson.voided', { institutionId: consumption.institutionId, consumptionId });
      // TypeORM answers an UPDATE … RETURNING with [rows, affected]: the view is the one row.
      return (Array.isArray(updated[0]) ? (updated[0] as unknown[]) : updated)[0];
    });
  }

  private async lockConsumption(manager: EntityManager, consumptionId: string, parent?: Principal): Promise<ConsumptionRow> {
    const [row]: ConsumptionRow[] = await manager.query(`${SELECT_CONSUMPTION} WHERE s.id = $1 FOR UPDATE OF s`, [consumptionId]);
    if (!row || (parent && row.parentUserId !== parent.id)) throw notFound('The lesson', 'CONSUMPTION.NOT_FOUND');
    return row;
  }

  private assertAllowedTime(
    course: { category: string; districtCode: string; delivery: 'offline' | 'online' },
    lesson: NewLesson,
    policy: DistrictPolicy,
    calendar: WorkingDayCalendar,
  ): void {
    if (lesson.minutes > MAX_LESSON_MINUTES[course.delivery]) {
      throw new DomainError(422, 'POLICY.LESSON_TOO_LONG', `An ${course.delivery} lesson may last at most ${MAX_LESSON_MINUTES[course.delivery]} minutes.`);
    }
    const latest = course.delivery === 'online' ? policy.latestOnlineEnd : policy.latestOfflineEnd;
    const end = new Date(lesson.startsAt.getTime() + lesson.minutes * 60_000);
    const endsNextDay = shanghaiDate(end) !== shanghaiDate(lesson.startsAt);
    if (endsNextDay || shanghaiTimeOfDay(end) > latest) {
      throw new DomainError(
        422,
        'POLICY.OUTSIDE_ALLOWED_HOURS',
        `${course.delivery === 'online' ? 'Online' : 'Offline'} lessons must end by ${latest} (Asia/Shanghai).`,
        { latestEnd: latest },
      );
    }
    if (course.category === 'subject') {
      const date = shanghaiDate(lesson.startsAt);
      if (calendar.isRestDay(date)) {
        throw new DomainError(422, 'POLICY.REST_DAY', `Subject training may not take place on weekends or public holidays: ${date} is a rest day.`, { date });
      }
    }
  }

  private async lessonView(manager: EntityManager, lessonId: string) {
    const [lesson] = await manager.query(`SELECT ${LESSON_VIEW_COLUMNS} FROM lessons WHERE id = $1`, [lessonId]);
    const consumptions = await manager.query(`SELECT ${LESSON_CONSUMPTION_COLUMNS} FROM consumptions WHERE lesson_id = $1 ORDER BY contract_id`, [lessonId]);
    return { ...lesson, consumptions };
  }

  private async consumptionView(manager: EntityManager, consumptionId: string) {
    const [row] = await manager.query(`SELECT ${CONSUMPTION_VIEW_COLUMNS} FROM consumptions WHERE id = $1`, [consumptionId]);
    return row;
  }
}
