import { Injectable } from '@nestjs/common';
import {
  AuditService,
  Clock,
  OutboxService,
  Principal,
  ReferenceDataService,
  canSeeDistrict,
  conflict,
  districtPrefix,
  nameBasedUuid,
  notFound,
} from '@app/core';
import { addDays } from '@app/core/calendar/shanghai-time';
import { LedgerService, TransferRequest } from '@app/ledger';
import { DistrictPolicy, DistrictPolicyService, EnrolmentService } from '@app/registry';
import { DataSource } from 'typeorm';
import { BankService } from '../bank/bank.service';
import { PayoutInstructionsRepository } from '../bank/payout-instructions.repository';
import { accountsOf } from '../tuition-accounts';
import { cycleDueOn, retainedPart, settlementPeriod } from './settlement-period';
import { SettlementRow, SettlementsRepository } from './settlements.repository';

export type SettlementOutcome =
  | { institutionId: string; settled: true; settlementId: string; payableFen: number; payoutFen: number; retainedFen: number; releasedFen: number }
  | { institutionId: string; settled: false; reason: 'frozen' | 'not_in_good_standing' | 'nothing_to_settle' | 'already_settled' };

/**
 * The rolling transfer (docs/domain.md, “Escrow ledger”): each cycle, each institution in good standing (licensed, not
 * frozen) gets its payable balance split into a payout and a retained tranche, and tranches older than
 * retentionDays are released; an institution not in good standing accrues and is not paid. The payout
 * waits in the institution's `payouts` account until the bank executes its instruction, so custody
 * always equals the bank. One transaction and one deterministic id per institution and period: running
 * the same cycle twice, or from two workers at once, pays once.
 */
@Injectable()
export class SettlementService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settlements: SettlementsRepository,
    private readonly payouts: PayoutInstructionsRepository,
    private readonly bank: BankService,
    private readonly ledger: LedgerService,
    private readonly enrolment: EnrolmentService,
    private readonly policies: DistrictPolicyService,
    private readonly reference: ReferenceDataService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** A regulator runs the cycle of one district in scope now. */
  async runForRegulator(principal: Principal, districtCode: string): Promise<SettlementOutcome[]> {
    const district = await this.reference.findDistrict(districtCode);
    if (!district?.cityCode || !canSeeDistrict(principal, districtCode)) throw notFound(`District ${districtCode}`, 'REFERENCE.UNKNOWN_DISTRICT');
    return this.runDistrict(districtCode, this.clock.today());
  }

  /** The scheduler's daily run: every served district whose cycle falls due today. */
  async runDueCycles(businessDate = this.clock.today()): Promise<number> {
    let settled = 0;
    for (const { code } of (await this.reference.listDistricts()).filter((district) => district.cityCode)) {
      const policy = await this.policies.policyOf(code);
      if (cycleDueOn(policy.settlementCycle, businessDate)) settled += (await this.runDistrict(code, businessDate)).filter((outcome) => outcome.settled).length;
    }
    return settled;
  }

  async runDistrict(districtCode: string, businessDate: string): Promise<SettlementOutcome[]> {
    const policy = await this.policies.policyOf(districtCode);
    const period = settlementPeriod(policy.settlementCycle, businessDate);
    const db = this.dataSource.manager;
    const institutions = await this.ledger.institutionsWithAccounts(db, await this.enrolment.inDistrict(db, districtCode));
    const outcomes: SettlementOutcome[] = [];
    for (const id of institutions) outcomes.push(await this.settleInstitution(id, districtCode, policy, period, businessDate));
    return outcomes;
  }

  async settleInstitution(
    institutionId: string,
    districtCode: string,
    policy: DistrictPolicy,
    period: string,
    businessDate: string,
  ): Promise<SettlementOutcome> {
    const settlementId = nameBasedUuid('settlement', institutionId, period);
    const accounts = accountsOf(institutionId);
    return this.dataSource.transaction(async (manager) => {
      const institution = await this.enrolment.lockStanding(manager, institutionId);
      if (institution.frozen) return { institutionId, settled: false, reason: 'frozen' };
      if (!this.enrolment.inGoodStanding(institution)) return { institutionId, settled: false, reason: 'not_in_good_standing' };
      if (await this.settlements.exists(manager, settlementId)) return { institutionId, settled: false, reason: 'already_settled' };
      await this.ledger.lockAccounts(manager, [accounts.payable, accounts.reserve, accounts.payouts]);
      const [payable] = await this.ledger.balances(manager, [accounts.payable]);
      const tranches = await this.settlements.lockDueTranches(manager, institutionId, businessDate);
      const payableFen = payable ? payable.creditsPosted - payable.debitsPosted : 0;
      const releasedFen = tranches.reduce((sum, tranche) => sum + tranche.amount, 0);
      if (payableFen <= 0 && releasedFen <= 0) return { institutionId, settled: false, reason: 'nothing_to_settle' };
      const retainedFen = retainedPart(payableFen, policy.retentionRateBp);
      const payoutFen = payableFen - retainedFen;
      const now = this.clock.now();
      const made = await this.settlements.insert(manager, {
        id: settlementId,
        institutionId,
        districtCode,
        period,
        businessDate,
        payableFen,
        payoutFen,
        retainedFen,
        releasedFen,
        createdAt: now,
      });
      if (!made) return { institutionId, settled: false, reason: 'already_settled' };

      const transfers: TransferRequest[] = [];
      const transfer = (suffix: string, code: string, debitAccountId: string, creditAccountId: string, amount: number) =>
        amount > 0 &&
        transfers.push({
          id: nameBasedUuid('settlement', settlementId, suffix),
          kind: 'posted',
          code,
          debitAccountId,
          creditAccountId,
          amount,
          referenceId: settlementId,
        });
      transfer('payout', 'payout', accounts.payable, accounts.payouts, payoutFen);
      transfer('retention', 'retention', accounts.payable, accounts.reserve, retainedFen);
      transfer('release', 'reserve_release', accounts.reserve, accounts.payouts, releasedFen);
      await this.ledger.apply(manager, transfers);

      if (retainedFen > 0) {
        await this.settlements.insertTranche(manager, {
          id: nameBasedUuid('tranche', settlementId),
          institutionId,
          settlementId,
          amountFen: retainedFen,
          releaseOn: addDays(businessDate, policy.retentionDays),
        });
      }
      if (tranches.length)
        await this.settlements.markReleased(
          manager,
          tranches.map((tranche) => tranche.id),
          settlementId,
        );
      if (payoutFen + releasedFen > 0) {
        await this.payouts.insert(manager, {
          id: nameBasedUuid('settlement-payout', settlementId),
          kind: 'institution_payout',
          institutionId,
          districtCode,
          contractId: null,
          amountFen: payoutFen + releasedFen,
          createdAt: now,
        });
      }
      await this.audit.record(manager, {
        action: 'settlement.made',
        targetType: 'institution',
        targetId: institutionId,
        districtCode,
        actor: { id: null, role: 'system' },
        details: { settlementId, period, payableFen, payoutFen, retainedFen, releasedFen },
      });
      await this.outbox.add(manager, 'settlement.made', { institutionId, settlementId, payoutFen, retainedFen, releasedFen });
      return { institutionId, settled: true, settlementId, payableFen, payoutFen, retainedFen, releasedFen };
    });
  }

  /**
   * A regulator releases the money a revoked or closed institution still holds (its payable and its
   * reserve: docs/domain.md, “Escrow ledger” keeps them until then) once every contract is refunded: one final settlement and
   * one payout instruction, never held. 409 RESERVE.CONTRACTS_OPEN while a contract still holds money.
   * Deterministic ids (one final release per institution): a second call answers the first.
   */
  async releaseFinal(regulator: Principal, institutionId: string, reason: string): Promise<SettlementRow> {
    const settlementId = nameBasedUuid('final-release', institutionId);
    const accounts = accountsOf(institutionId);
    return this.dataSource.transaction(async (manager) => {
      const standing = await this.enrolment.lockStanding(manager, institutionId);
      if (!canSeeDistrict(regulator, standing.districtCode)) throw notFound('The institution', 'INSTITUTION.NOT_FOUND');
      const done = await this.settlements.find(manager, settlementId);
      if (done) return done;
      if (standing.status !== 'revoked' && standing.status !== 'closed') {
        throw conflict(
          'RESERVE.LICENCE_NOT_ENDED',
          `The reserve is released only once the licence was revoked or the institution closed; it is ${standing.status}.`,
          {
            currentStatus: standing.status,
          },
        );
      }
      if (await this.ledger.escrowHeld(manager, institutionId)) {
        throw conflict('RESERVE.CONTRACTS_OPEN', 'Contracts still hold money: the reserve is released once every contract is refunded.', {
          currentStatus: standing.status,
        });
      }
      await this.bank.cancelPayoutsOf(manager, institutionId, standing.districtCode);
      await this.ledger.lockAccounts(manager, [accounts.payable, accounts.reserve, accounts.payouts]);
      const { payable, reserve } = accounts;
      const balances = await this.ledger.balances(manager, [payable, reserve]);
      const balanceOf = (id: string) => {
        const account = balances.find((found) => found.id === id);
        return account ? account.creditsPosted - account.debitsPosted : 0;
      };
      const payableFen = balanceOf(payable);
      const releasedFen = balanceOf(reserve);
      if (payableFen + releasedFen <= 0)
        throw conflict('RESERVE.NOTHING_TO_RELEASE', 'The institution holds nothing in payable or reserve.', { currentStatus: standing.status });
      const now = this.clock.now();
      await this.settlements.insert(manager, {
        id: settlementId,
        institutionId,
        districtCode: standing.districtCode,
        period: 'final-release',
        businessDate: this.clock.today(),
        payableFen,
        payoutFen: payableFen,
        retainedFen: 0,
        releasedFen,
        createdAt: now,
      });
      const transfers: TransferRequest[] = [];
      const release = (suffix: string, from: string, amount: number) =>
        amount > 0 &&
        transfers.push({
          id: nameBasedUuid('final-release', settlementId, suffix),
          kind: 'posted',
          code: 'final_release',
          debitAccountId: from,
          creditAccountId: accounts.payouts,
          amount,
          referenceId: settlementId,
        });
      release('payable', payable, payableFen);
      release('reserve', reserve, releasedFen);
      await this.ledger.apply(manager, transfers);
      const tranches = await this.settlements.lockDueTranches(manager, institutionId, null);
      if (tranches.length)
        await this.settlements.markReleased(
          manager,
          tranches.map((tranche) => tranche.id),
          settlementId,
        );
      const payoutId = nameBasedUuid('final-release-payout', settlementId);
      await this.payouts.insert(manager, {
        id: payoutId,
        kind: 'final_release',
        institutionId,
        districtCode: standing.districtCode,
        contractId: null,
        amountFen: payableFen + releasedFen,
        createdAt: now,
      });
      await this.audit.record(manager, {
        action: 'reserve.released',
        targetType: 'institution',
        targetId: institutionId,
        reason,
        districtCode: standing.districtCode,
        details: { settlementId, payoutId, payableFen, reserveFen: releasedFen },
      });
      await this.outbox.add(manager, 'reserve.released', { institutionId, payoutId, amountFen: payableFen + releasedFen });
      return (await this.settlements.find(manager, settlementId))!;
    });
  }

  /** Settlements an owner's institutions or a regulator's districts received, newest first. */
  async list(principal: Principal, institutionId?: string): Promise<{ items: SettlementRow[]; total: number; page: number; pageSize: number }> {
    const db = this.dataSource.manager;
    const prefix = districtPrefix(principal);
    const scope =
      principal.role === 'institution'
        ? { institutionIds: await this.enrolment.ownedBy(db, principal.id) }
        : { districtPattern: prefix === undefined ? '-' : prefix === '' ? null : `${prefix}%` };
    const items = await this.settlements.page(db, scope, institutionId, 200);
    return { items, total: items.length, page: 1, pageSize: 200 };
  }
}
