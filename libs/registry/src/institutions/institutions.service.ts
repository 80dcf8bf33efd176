import { Inject, Injectable, Optional } from '@nestjs/common';
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
  unprocessable,
} from '@app/core';
import { addDays } from '@app/core/calendar/shanghai-time';
import { DataSource, EntityManager } from 'typeorm';
import { EDITABLE_STATUSES, FREEZABLE_STATUSES, InstitutionStatus, LicenceAction, checkTransition } from '../licence/licence-state-machine';
import { DistrictPolicyService } from '../policy/district-policy.service';
import { validateUscc } from '../uscc/uscc';
import { InstitutionEvent, InstitutionEventsRepository } from './institution-events.repository';
import { Institution, InstitutionDraft, InstitutionScope, InstitutionsRepository, LicenceChange } from './institutions.repository';
import { LicenceCountersRepository } from './licence-counters.repository';

/** An institution with its licence history, oldest step first. */
export interface InstitutionRecord {
  institution: Institution;
  history: InstitutionEvent[];
}

/**
 * Answers whether an institution may close: no contract may still hold money. The tuition context
 * provides it; until then nothing holds money and closing is allowed.
 */
export const CLOSURE_CHECK = Symbol('CLOSURE_CHECK');
export type ClosureCheck = (manager: EntityManager, institutionId: string) => Promise<boolean>;

/** Days before the end of validity from which the holder may apply to renew (docs/domain.md, "Licences"). */
export const RENEWAL_OPENS_DAYS = 90;

const USCC_REASONS = {
  length: 'it must be 18 characters',
  charset: 'it may hold only digits and the capital letters of GB 32100-2015 (no I, O, Z, S, V)',
  division: 'characters 3-8 must be an administrative division code',
  check: 'its check character is wrong',
};

@Injectable()
export class InstitutionsService {
  constructor(
    private readonly institutions: InstitutionsRepository,
    private readonly events: InstitutionEventsRepository,
    private readonly licenceCounters: LicenceCountersRepository,
    private readonly dataSource: DataSource,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly policies: DistrictPolicyService,
    @Optional() @Inject(CLOSURE_CHECK) private readonly closureCheck?: ClosureCheck,
  ) {}

  async create(owner: Principal, draft: InstitutionDraft): Promise<Institution> {
    await this.assertValid(draft);
    return this.dataSource.transaction(async (manager) => {
      const institution = await this.institutions.insertDraft(manager, { ...draft, ownerUserId: owner.id, at: this.clock.now() });
      if (!institution) throw this.usccTaken(draft.uscc);
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
      if (changes.uscc && changes.uscc !== institution.uscc && (await this.institutions.usccTaken(manager, changes.uscc))) throw this.usccTaken(changes.uscc);
      return this.institutions.updateDraft(manager, id, next, this.clock.now());
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
      const to = this.allowed(institution, action, principal);
      // 双减: no new subject-category licences unless the district has opened them (docs/domain.md, "Courses and teachers").
      if (action === 'approve' && institution.category === 'subject' && !(await this.policies.policyOf(institution.districtCode)).subjectApprovalsOpen) {
        throw unprocessable('LICENCE.SUBJECT_APPROVALS_CLOSED', `District ${institution.districtCode} grants no new subject-training licences.`, {
          currentStatus: institution.status,
        });
      }
      if (action === 'close' && this.closureCheck && !(await this.closureCheck(manager, id))) {
        throw conflict('LICENCE.CONTRACTS_HOLD_MONEY', 'The institution cannot close while a contract still holds money: refund or finish them first.', {
          currentStatus: institution.status,
        });
      }
      const change: LicenceChange = { status: to };
      // Closed at its own request the institution shows with no list colour; closed by order it stays black.
      if (action === 'close') change.closedByOrder = principal.role === 'regulator';
      if (action === 'approve' || action === 'renew') {
        const validFrom = this.clock.today();
        change.licenceValidFrom = validFrom;
        change.licenceValidUntil = addYears(validFrom, options.validYears ?? 3);
        if (action === 'approve') change.licenceNumber = await this.nextLicenceNumber(manager, institution.districtCode, validFrom);
      }
      const updated = await this.institutions.changeLicence(manager, id, change, this.clock.now());
      await this.recordEvent(manager, updated, action, institution.status, to, reason);
      return updated;
    });
  }

  /**
   * The holder applies to renew its licence (docs/domain.md, "Licences"), from RENEWAL_OPENS_DAYS before
   * `validUntil`; 422 LICENCE.RENEWAL_NOT_OPEN earlier, 409 LICENCE.RENEWAL_PENDING when one is undecided.
   */
  async applyForRenewal(owner: Principal, id: string, validYears = 3): Promise<Institution> {
    return this.dataSource.transaction(async (manager) => {
      const institution = await this.lockVisible(manager, owner, id);
      this.allowed(institution, 'apply_renewal', owner);
      if (institution.renewalAppliedAt) {
        throw conflict('LICENCE.RENEWAL_PENDING', 'A renewal of this licence is already awaiting the regulator’s decision.', {
          currentStatus: institution.status,
        });
      }
      const opens = addDays(institution.licenceValidUntil as string, -RENEWAL_OPENS_DAYS);
      if (this.clock.today() < opens) {
        throw unprocessable('LICENCE.RENEWAL_NOT_OPEN', `A renewal may be applied for from ${opens}, ${RENEWAL_OPENS_DAYS} days before the licence ends.`, {
          opensOn: opens,
          validUntil: institution.licenceValidUntil,
        });
      }
      const updated = await this.institutions.changeLicence(
        manager,
        id,
        { status: institution.status, renewal: { apply: { at: this.clock.now(), validYears } } },
        this.clock.now(),
      );
      await this.recordEvent(manager, updated, 'apply_renewal', institution.status, institution.status, `renewal for ${validYears} years`);
      return updated;
    });
  }

  /** The regulator grants or refuses the pending renewal; 409 LICENCE.NO_RENEWAL_PENDING when there is none. */
  async reviewRenewal(regulator: Principal, id: string, decision: 'approve' | 'reject', reason: string): Promise<Institution> {
    return this.dataSource.transaction(async (manager) => {
      const institution = await this.lockVisible(manager, regulator, id);
      const action = decision === 'approve' ? 'grant_renewal' : 'refuse_renewal';
      this.allowed(institution, action, regulator);
      if (!institution.renewalAppliedAt) {
        throw conflict('LICENCE.NO_RENEWAL_PENDING', 'No renewal of this licence is awaiting a decision.', { currentStatus: institution.status });
      }
      const change: LicenceChange = decision === 'approve' ? this.renewedValidity(institution) : { status: institution.status, renewal: 'clear' };
      const updated = await this.institutions.changeLicence(manager, id, change, this.clock.now());
      await this.recordEvent(manager, updated, action, institution.status, institution.status, reason);
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
      const updated = await this.institutions.setFrozen(manager, id, frozen, this.clock.now());
      await this.recordEvent(manager, updated, frozen ? 'freeze' : 'unfreeze', institution.status, institution.status, reason);
      return updated;
    });
  }

  /**
   * Expires every licence whose validity ended before today; first, a renewal still undecided on the
   * licence's last day is deemed granted (行政许可法 Art. 50), recorded as such. A second run finds nothing.
   */
  async expireDue(): Promise<string[]> {
    const today = this.clock.today();
    const system = { id: null, role: 'system' as const };
    return this.dataSource.transaction(async (manager) => {
      for (const institution of await this.institutions.lockRenewalsDue(manager, today)) {
        const updated = await this.institutions.changeLicence(manager, institution.id, this.renewedValidity(institution), this.clock.now());
        const note = `renewal applied for on ${institution.renewalAppliedAt?.toISOString()} undecided at the end of validity: deemed granted`;
        await this.recordEvent(manager, updated, 'deem_renewal', institution.status, institution.status, note, system);
      }
      const expired = await this.institutions.expireDue(manager, today, this.clock.now());
      for (const institution of expired) {
        await this.recordEvent(manager, institution, 'expire', 'licensed', 'expired', `validity ended before ${today}`, { id: null, role: 'system' });
      }
      return expired.map((institution) => institution.id);
    });
  }

  async list(
    principal: Principal,
    filter: { status?: InstitutionStatus; districtCode?: string; q?: string; renewalPending?: boolean; page: number; pageSize: number },
  ): Promise<{ items: Institution[]; total: number; page: number; pageSize: number }> {
    const scope = this.scopeOf(principal);
    const { items, total } = scope
      ? await this.institutions.page(this.dataSource.manager, scope, {
          status: filter.status,
          districtCode: filter.districtCode,
          q: filter.q,
          renewalPending: filter.renewalPending,
          limit: filter.pageSize,
          offset: (filter.page - 1) * filter.pageSize,
        })
      : { items: [], total: 0 };
    return { items, total, page: filter.page, pageSize: filter.pageSize };
  }

  /** The record with its history, for a regulator in scope or the owner; 404 for anyone else. */
  async get(principal: Principal, id: string): Promise<InstitutionRecord> {
    const institution = await this.findVisible(principal, id);
    const history = await this.events.ofInstitution(this.dataSource.manager, id);
    return { institution, history };
  }

  async findVisible(principal: Principal, id: string): Promise<Institution> {
    const scope = this.scopeOf(principal);
    const institution = scope && (await this.institutions.find(this.dataSource.manager, id, scope));
    if (!institution) throw notFound('The institution', 'INSTITUTION.NOT_FOUND');
    return institution;
  }

  /** The state the action leads to; 403 for a role the table does not list, 409 naming the current state otherwise. */
  private allowed(institution: Institution, action: LicenceAction, principal: Principal): InstitutionStatus {
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
    return check.to;
  }

  /** The renewed validity: from the day after the old one ends, for the years applied for. */
  private renewedValidity(institution: Institution): LicenceChange {
    const validFrom = addDays(institution.licenceValidUntil as string, 1);
    return {
      status: institution.status,
      licenceValidFrom: validFrom,
      licenceValidUntil: addYears(validFrom, institution.renewalValidYears ?? 3),
      renewal: 'clear',
    };
  }

  private async lockVisible(manager: EntityManager, principal: Principal, id: string): Promise<Institution> {
    const institution = await this.institutions.lock(manager, id);
    if (!institution || !this.canSee(principal, institution)) throw notFound('The institution', 'INSTITUTION.NOT_FOUND');
    return institution;
  }

  private canSee(principal: Principal, institution: Institution): boolean {
    if (principal.role === 'institution') return institution.ownerUserId === principal.id;
    return canSeeDistrict(principal, institution.districtCode);
  }

  /** The owner's institutions, or those of a regulator's (or the admin's) districts; undefined: none at all. */
  private scopeOf(principal: Principal): InstitutionScope | undefined {
    if (principal.role === 'institution') return { ownerUserId: principal.id };
    const pattern = districtLikePattern(principal);
    return pattern === undefined ? undefined : { districtPattern: pattern };
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
    const last = await this.licenceCounters.next(manager, districtCode, year);
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
    await this.events.insert(manager, {
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
