import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  AuditService,
  Clock,
  DomainError,
  OutboxService,
  Principal,
  ReferenceDataService,
  RequestContext,
  canSeeDistrict,
  conflict,
  districtLikePattern,
  notFound,
} from '@app/core';
import { addDays } from '@app/core/calendar/shanghai-time';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { EDITABLE_STATUSES, FREEZABLE_STATUSES, InstitutionStatus, LicenceAction, checkTransition } from '../licence/licence-state-machine';
import { validateUscc } from '../uscc/uscc';
import { InstitutionEvent } from './institution-event.entity';
import { Institution } from './institution.entity';

export type InstitutionDraft = Pick<
  Institution,
  'name' | 'uscc' | 'districtCode' | 'address' | 'category' | 'delivery' | 'legalRepresentative' | 'premisesAreaM2' | 'capacity' | 'phone'
>;

/**
 * Answers whether an institution may close: no contract may still hold money. The tuition context
 * provides it; until then nothing holds money and closing is allowed.
 */
export const CLOSURE_CHECK = Symbol('CLOSURE_CHECK');
export type ClosureCheck = (manager: EntityManager, institutionId: string) => Promise<boolean>;

const USCC_REASONS = {
  length: 'it must be 18 characters',
  charset: 'it may hold only digits and the capital letters of GB 32100-2015 (no I, O, Z, S, V)',
  division: 'characters 3-8 must be an administrative division code',
  check: 'its check character is wrong',
};

@Injectable()
export class InstitutionsService {
  constructor(
    @InjectRepository(Institution) private readonly institutions: Repository<Institution>,
    @InjectRepository(InstitutionEvent) private readonly events: Repository<InstitutionEvent>,
    private readonly dataSource: DataSource,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    @Optional() @Inject(CLOSURE_CHECK) private readonly closureCheck?: ClosureCheck,
  ) {}

  async create(owner: Principal, draft: InstitutionDraft): Promise<Institution> {
    await this.assertValid(draft);
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(Institution)
        .values({ ...draft, ownerUserId: owner.id, status: 'draft', createdAt: this.clock.now(), updatedAt: this.clock.now() })
        .orIgnore()
        .returning('id')
        .execute();
      if (!inserted.raw.length) throw this.usccTaken(draft.uscc);
      const institution = await manager.findOneByOrFail(Institution, { id: inserted.raw[0].id });
      await this.recordEvent(manager, institution, 'create', 'draft', 'draft', null);
      return institution;
    });
  }

  async update(owner: Principal, id: string, changes: Partial<InstitutionDraft>): Promise<Institution> {
    return this.dataSource.transaction(async (manager) => {
      const institution = await this.lockVisible(manager, owner, id);
      if (!EDITABLE_STATUSES.includes(institution.status)) {
        throw conflict('LICENCE.NOT_EDITABLE', `The application is ${institution.status}; it can be changed only while draft or returned.`, {
          currentStatus: institution.status,
        });
      }
      const next = { ...institution, ...changes };
      await this.assertValid(next);
      if (changes.uscc && changes.uscc !== institution.uscc && (await manager.existsBy(Institution, { uscc: changes.uscc })))
        throw this.usccTaken(changes.uscc);
      await manager.update(Institution, { id }, { ...changes, updatedAt: this.clock.now() });
      return manager.findOneByOrFail(Institution, { id });
    });
  }

  /**
   * Moves the licence along its life cycle. The row is locked, so two regulators acting at once see
   * each other's decision; anything the state machine does not list is 409 naming the current state.
   */
  async transition(
    principal: Principal,
    id: string,
    action: LicenceAction,
    reason: string | null,
    options: { validYears?: number } = {},
  ): Promise<Institution> {
    return this.dataSource.transaction(async (manager) => {
      const institution = await this.lockVisible(manager, principal, id);
      const check = checkTransition(action, institution.status, principal.role);
      if (!check.ok && check.reason === 'actor') throw new DomainError(403, 'AUTH.FORBIDDEN', `A ${principal.role} cannot ${action} a licence.`);
      if (!check.ok) {
        throw conflict(
          'LICENCE.INVALID_TRANSITION',
          `Cannot ${action}: the institution is ${institution.status} (allowed from ${check.allowedFrom.join(', ')}).`,
          {
            currentStatus: institution.status,
            action,
          },
        );
      }
      if (action === 'close' && this.closureCheck && !(await this.closureCheck(manager, id))) {
        throw conflict('LICENCE.CONTRACTS_HOLD_MONEY', 'The institution cannot close while a contract still holds money: refund or finish them first.', {
          currentStatus: institution.status,
        });
      }
      const changes: Partial<Institution> = { status: check.to, updatedAt: this.clock.now() };
      if (action === 'approve' || action === 'renew') {
        const validFrom = this.clock.today();
        changes.licenceValidFrom = validFrom;
        changes.licenceValidUntil = addYears(validFrom, options.validYears ?? 3);
        if (action === 'approve') changes.licenceNumber = await this.nextLicenceNumber(manager, institution.districtCode, validFrom);
      }
      await manager.update(Institution, { id }, changes);
      const updated = await manager.findOneByOrFail(Institution, { id });
      await this.recordEvent(manager, updated, action, institution.status, check.to, reason);
      return updated;
    });
  }

  async setFrozen(principal: Principal, id: string, frozen: boolean, reason: string): Promise<Institution> {
    return this.dataSource.transaction(async (manager) => {
      const institution = await this.lockVisible(manager, principal, id);
      if (!FREEZABLE_STATUSES.includes(institution.status)) {
        throw conflict('LICENCE.INVALID_TRANSITION', `Cannot ${frozen ? 'freeze' : 'unfreeze'}: the institution is ${institution.status}.`, {
          currentStatus: institution.status,
        });
      }
      if (institution.frozen === frozen) {
        throw conflict(frozen ? 'INSTITUTION.ALREADY_FROZEN' : 'INSTITUTION.NOT_FROZEN', `The institution's funds are ${frozen ? 'already' : 'not'} frozen.`, {
          currentStatus: institution.status,
        });
      }
      await manager.update(Institution, { id }, { frozen, updatedAt: this.clock.now() });
      const updated = await manager.findOneByOrFail(Institution, { id });
      await this.recordEvent(manager, updated, frozen ? 'freeze' : 'unfreeze', institution.status, institution.status, reason);
      return updated;
    });
  }

  /** Expires every licence whose validity ended before today. One statement; a second run finds nothing. */
  async expireDue(): Promise<string[]> {
    const today = this.clock.today();
    return this.dataSource.transaction(async (manager) => {
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const [expired]: [Institution[], number] = await manager.query(
        `UPDATE institutions SET status = 'expired', updated_at = $2
         WHERE status = 'licensed' AND licence_valid_until < $1
         RETURNING id, district_code AS "districtCode", licence_number AS "licenceNumber", status`,
        [today, this.clock.now()],
      );
      for (const institution of expired) {
        await this.recordEvent(manager, institution, 'expire', 'licensed', 'expired', `validity ended before ${today}`, { id: null, role: 'system' });
      }
      return expired.map((institution) => institution.id);
    });
  }

  async list(principal: Principal, filter: { status?: InstitutionStatus; districtCode?: string; q?: string; page: number; pageSize: number }) {
    const query = this.institutions.createQueryBuilder('institution').orderBy('institution.created_at', 'DESC').addOrderBy('institution.id');
    this.applyScope(query, principal);
    if (filter.status) query.andWhere('institution.status = :status', { status: filter.status });
    if (filter.districtCode) query.andWhere('institution.district_code = :districtCode', { districtCode: filter.districtCode });
    if (filter.q) query.andWhere('institution.name ILIKE :q', { q: `%${filter.q.replace(/[\\%_]/g, '\\$&')}%` });
    const [items, total] = await query
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }

  /** The record with its history, for a regulator in scope or the owner; 404 for anyone else. */
  async get(principal: Principal, id: string) {
    const institution = await this.findVisible(principal, id);
    const history = await this.events.find({ where: { institutionId: id }, order: { id: 'ASC' } });
    return { institution, history };
  }

  async findVisible(principal: Principal, id: string): Promise<Institution> {
    const query = this.institutions.createQueryBuilder('institution').where('institution.id = :id', { id });
    this.applyScope(query, principal);
    const institution = await query.getOne();
    if (!institution) throw notFound('The institution', 'INSTITUTION.NOT_FOUND');
    return institution;
  }

  private async lockVisible(manager: EntityManager, principal: Principal, id: string): Promise<Institution> {
    const institution = await manager.findOne(Institution, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!institution || !this.canSee(principal, institution)) throw notFound('The institution', 'INSTITUTION.NOT_FOUND');
    return institution;
  }

  private canSee(principal: Principal, institution: Institution): boolean {
    if (principal.role === 'institution') return institution.ownerUserId === principal.id;
    return canSeeDistrict(principal, institution.districtCode);
  }

  private applyScope(query: ReturnType<Repository<Institution>['createQueryBuilder']>, principal: Principal): void {
    if (principal.role === 'institution') {
      query.andWhere('institution.owner_user_id = :owner', { owner: principal.id });
      return;
    }
    const pattern = districtLikePattern(principal);
    if (pattern === undefined) query.andWhere('false');
    else query.andWhere('institution.district_code LIKE :pattern', { pattern });
  }

  private async assertValid(draft: InstitutionDraft): Promise<void> {
    const uscc = validateUscc(draft.uscc);
    if (!uscc.ok) {
      throw new DomainError(422, 'INSTITUTION.INVALID_USCC', `${draft.uscc} is not a valid unified social credit code: ${USCC_REASONS[uscc.reason]}.`, {
        errors: [{ field: 'uscc', message: USCC_REASONS[uscc.reason], code: `uscc.${uscc.reason}` }],
      });
    }
    // Two refusals, both 422: not a county-level GB/T 2260 code at all, or a real district whose bureau
    // the platform does not serve yet (an admin serves it with PUT /api/v1/districts/:code).
    const division = await this.reference.findDivision(draft.districtCode);
    if (division?.level !== 'district') {
      throw new DomainError(422, 'REFERENCE.UNKNOWN_DISTRICT', `${draft.districtCode} is not a county-level district code of GB/T 2260.`, {
        errors: [{ field: 'districtCode', message: 'unknown district code', code: 'district.unknown' }],
      });
    }
    if (!(await this.reference.findDistrict(draft.districtCode))) {
      throw new DomainError(422, 'REFERENCE.DISTRICT_NOT_SERVED', `${division.name} (${division.code}) is not served by the platform yet.`, {
        districtCode: division.code,
        districtName: division.name,
        errors: [{ field: 'districtCode', message: `${division.name} is not served by the platform yet`, code: 'district.not_served' }],
      });
    }
  }

  private usccTaken(uscc: string): DomainError {
    return conflict('INSTITUTION.USCC_TAKEN', `An institution with the unified social credit code ${uscc} is already registered.`);
  }

  /** 430104-2026-00017: district, year of issue, and a per-district, per-year sequence. */
  private async nextLicenceNumber(manager: EntityManager, districtCode: string, validFrom: string): Promise<string> {
    const year = Number(validFrom.slice(0, 4));
    const [{ last }] = await manager.query(
      `INSERT INTO licence_counters (district_code, year, last) VALUES ($1, $2, 1)
       ON CONFLICT (district_code, year) DO UPDATE SET last = licence_counters.last + 1 RETURNING last`,
      [districtCode, year],
    );
    return `${districtCode}-${year}-${String(last).padStart(5, '0')}`;
  }

  private async recordEvent(
    manager: EntityManager,
    institution: Pick<Institution, 'id' | 'districtCode' | 'licenceNumber' | 'status'>,
    action: string,
    from: InstitutionStatus,
    to: InstitutionStatus,
    reason: string | null,
    actor?: { id: null; role: 'system' },
  ): Promise<void> {
    const who = actor ?? RequestContext.principal ?? { id: null, role: 'system' as const };
    await manager.insert(InstitutionEvent, {
      institutionId: institution.id,
      action,
      fromStatus: from,
      toStatus: to,
      actorId: who.id,
      actorRole: who.role,
      reason,
      at: this.clock.now(),
    });
    if (action !== 'create') {
      await this.audit.record(manager, {
        action: `institution.${action}`,
        targetType: 'institution',
        targetId: institution.id,
        reason,
        districtCode: institution.districtCode,
        actor,
        details: { from, to, licenceNumber: institution.licenceNumber },
      });
    }
    await this.outbox.add(manager, 'licence.changed', { institutionId: institution.id, action, from, to });
  }
}

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  // Valid through the day before the same date `years` later (29 Feb falls back to 28 Feb).
  const end = new Date(Date.UTC(y + years, m - 1, d === 29 && m === 2 ? 28 : d));
  return addDays(end.toISOString().slice(0, 10), -1);
}
