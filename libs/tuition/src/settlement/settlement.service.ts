import { Injectable, Logger } from '@nestjs/common';
import { AuditService, Clock, OutboxService, Principal, canSeeDistrict, districtLikePattern, nameBasedUuid, notFound } from '@app/core';
import { addDays } from '@app/core/calendar/shanghai-time';
import { LedgerService, TransferRequest } from '@app/ledger';
import { DistrictPolicy, DistrictPolicyService } from '@app/registry';
import { DataSource } from 'typeorm';
import { accountsOf } from '../tuition-accounts';
import { cycleDueOn, retainedPart, settlementPeriod } from './settlement-period';

export type SettlementOutcome =
  | { institutionId: string; settled: true; settlementId: string; payableFen: number; payoutFen: number; retainedFen: number; releasedFen: number }
  | { institutionId: string; settled: false; reason: 'frozen' | 'nothing_to_settle' | 'already_settled' };

/**
 * The rolling transfer (DESIGN §5): each cycle, each institution that is not frozen gets its payable
 * balance split into a payout now and a retained tranche, and tranches older than retentionDays are
 * released. One transaction and one deterministic id per institution and period: running the same
 * cycle twice, or from two workers at once, pays once.
 */
@Injectable()
export class SettlementService {
  private readonly logger = new Logger(SettlementService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly policies: DistrictPolicyService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** A regulator runs the cycle of one district in scope now. */
  async runForRegulator(principal: Principal, districtCode: string): Promise<SettlementOutcome[]> {
    const [district] = await this.dataSource.query(`SELECT code FROM districts WHERE code = $1 AND city_code IS NOT NULL`, [districtCode]);
    if (!district || !canSeeDistrict(principal, districtCode)) throw notFound(`District ${districtCode}`, 'REFERENCE.UNKNOWN_DISTRICT');
    return this.runDistrict(districtCode, this.clock.today());
  }

  /** The scheduler's daily run: every served district whose cycle falls due today. */
  async runDueCycles(businessDate = this.clock.today()): Promise<number> {
    const districts: Array<{ code: string }> = await this.dataSource.query(`SELECT code FROM districts WHERE city_code IS NOT NULL ORDER BY code`);
    let settled = 0;
    for (const { code } of districts) {
      const policy = await this.policies.policyOf(code);
      if (cycleDueOn(policy.settlementCycle, businessDate)) settled += (await this.runDistrict(code, businessDate)).filter((outcome) => outcome.settled).length;
    }
    return settled;
  }

  async runDistrict(districtCode: string, businessDate: string): Promise<SettlementOutcome[]> {
    const policy = await this.policies.policyOf(districtCode);
    const period = settlementPeriod(policy.settlementCycle, businessDate);
    const institutions: Array<{ id: string }> = await this.dataSource.query(
      `SELECT DISTINCT i.id FROM institutions i JOIN ledger_accounts a ON a.institution_id = i.id AND a.code = 'payable' WHERE i.district_code = $1 ORDER BY i.id`,
      [districtCode],
    );
    const outcomes: SettlementOutcome[] = [];
    for (const { id } of institutions) outcomes.push(await this.settleInstitution(id, districtCode, policy, period, businessDate));
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
      const [institution] = await manager.query(`SELECT frozen FROM institutions WHERE id = $1 FOR NO KEY UPDATE`, [institutionId]);
      if (institution.frozen) return { institutionId, settled: false, reason: 'frozen' };
      const [done] = await manager.query(`SELECT 1 FROM settlements WHERE id = $1`, [settlementId]);
      if (done) return { institutionId, settled: false, reason: 'already_settled' };
      await this.ledger.lockAccounts(manager, [accounts.custody, accounts.payable, accounts.reserve]);
      const [payable] = await manager.query(`SELECT credits_posted - debits_posted AS balance FROM ledger_accounts WHERE id = $1`, [accounts.payable]);
      const tranches: Array<{ id: string; amount: number }> = await manager.query(
        `SELECT id, amount_fen AS amount FROM reserve_tranches WHERE institution_id = $1 AND release_on <= $2 AND released_by IS NULL ORDER BY id FOR UPDATE`,
        [institutionId, businessDate],
      );
      const payableFen: number = payable?.balance ?? 0;
      const releasedFen = tranches.reduce((sum, tranche) => sum + tranche.amount, 0);
      if (payableFen <= 0 && releasedFen <= 0) return { institutionId, settled: false, reason: 'nothing_to_settle' };
      const retainedFen = retainedPart(payableFen, policy.retentionRateBp);
      const payoutFen = payableFen - retainedFen;

      const inserted = await manager.query(
        `INSERT INTO settlements (id, institution_id, district_code, period, business_date, payable_fen, payout_fen, retained_fen, released_fen, frozen, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, false, $10) ON CONFLICT DO NOTHING RETURNING id`,
        [settlementId, institutionId, districtCode, period, businessDate, payableFen, payoutFen, retainedFen, releasedFen, this.clock.now()],
      );
      if (!inserted.length) return { institutionId, settled: false, reason: 'already_settled' };

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
      transfer('payout', 'payout', accounts.payable, accounts.custody, payoutFen);
      transfer('retention', 'retention', accounts.payable, accounts.reserve, retainedFen);
      transfer('release', 'reserve_release', accounts.reserve, accounts.custody, releasedFen);
      await this.ledger.apply(manager, transfers);

      if (retainedFen > 0) {
        await manager.query(`INSERT INTO reserve_tranches (id, institution_id, settlement_id, amount_fen, release_on) VALUES ($1, $2, $3, $4, $5)`, [
          nameBasedUuid('tranche', settlementId),
          institutionId,
          settlementId,
          retainedFen,
          addDays(businessDate, policy.retentionDays),
        ]);
      }
      if (tranches.length)
        await manager.query(`UPDATE reserve_tranches SET released_by = $2 WHERE id = ANY($1::uuid[])`, [tranches.map((tranche) => tranche.id), settlementId]);
      if (payoutFen + releasedFen > 0) {
        await manager.query(
          `INSERT INTO payout_instructions (id, kind, institution_id, district_code, amount_fen, status, created_at)
           VALUES ($1, 'institution_payout', $2, $3, $4, 'pending', $5)`,
          [nameBasedUuid('settlement-payout', settlementId), institutionId, districtCode, payoutFen + releasedFen, this.clock.now()],
        );
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

  async list(principal: Principal, institutionId?: string) {
    const params: unknown[] = [];
    const where: string[] = [];
    if (principal.role === 'institution') where.push(`s.institution_id IN (SELECT id FROM institutions WHERE owner_user_id = $${params.push(principal.id)})`);
    else where.push(`s.district_code LIKE $${params.push(districtLikePattern(principal) ?? '-')}`);
    if (institutionId) where.push(`s.institution_id = $${params.push(institutionId)}`);
    const items = await this.dataSource.query(
      `SELECT s.id, s.institution_id AS "institutionId", s.district_code AS "districtCode", s.period, s.business_date AS "businessDate", s.payable_fen AS "payableFen",
              s.payout_fen AS "payoutFen", s.retained_fen AS "retainedFen", s.released_fen AS "releasedFen", s.created_at AS "createdAt"
       FROM settlements s WHERE ${where.join(' AND ')} ORDER BY s.business_date DESC, s.institution_id LIMIT 200`,
      params,
    );
    return { items, total: items.length, page: 1, pageSize: 200 };
  }
}
