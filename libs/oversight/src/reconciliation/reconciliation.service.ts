import { Injectable, Logger } from '@nestjs/common';
import { AuditService, Clock, OutboxService, Principal } from '@app/core';
import { addDays, shanghaiMidnight } from '@app/core/calendar/shanghai-time';
import { CustodyMovementsService, PaymentMovement, PayoutMovement } from '@app/tuition';
import { DataSource, EntityManager } from 'typeorm';
import { LineMatch, RaisedAlert, ReconciliationRepository, ReconciliationRule, StatementLine, UnmatchedLineRow } from './reconciliation.repository';

export type { StatementLine } from './reconciliation.repository';

/** A payment or an executed payout the bank has not shown after this many days is raised as unmatched. */
const GRACE_DAYS = 3;

/**
 * Reconciles the supervising bank's statement lines with the ledger (docs/domain.md, “Escrow ledger”): a line "in" matches a
 * payment by its order's reference and amount (in the bank's city), a line "out" an executed payout
 * instruction by the bank's reference and amount. Anything left unmatched raises one alert each
 * (deduplicated, so the job is safe to run twice).
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    private readonly lines: ReconciliationRepository,
    private readonly movements: CustodyMovementsService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** Stores the bank's lines; a line sent again (same direction and reference) is ignored. */
  async receive(bank: Principal, lines: StatementLine[]): Promise<{ received: number; accepted: number; duplicates: number }> {
    return this.dataSource.transaction(async (manager) => {
      const accepted = await this.lines.insertLines(manager, { clientId: bank.id, districtCode: bank.districtCode ?? null }, lines, this.clock.now());
      await this.audit.record(manager, {
        action: 'bank.statement_received',
        targetType: 'bank_client',
        targetId: bank.id,
        districtCode: bank.districtCode,
        details: { lines: lines.length, new: accepted },
      });
      await this.outbox.add(manager, 'bank.statement_received', { bankClientId: bank.id, lines: accepted });
      return { received: lines.length, accepted, duplicates: lines.length - accepted };
    });
  }

  async reconcile(): Promise<{ matched: number; alerts: number }> {
    return this.dataSource.transaction(async (manager) => {
      const matched = await this.lines.match(manager, await this.matchesOf(manager, await this.lines.unmatchedLines(manager)));
      const now = this.clock.now();
      const before = shanghaiMidnight(addDays(this.clock.today(), -GRACE_DAYS));
      let alerts = await this.announce(manager, 'UNMATCHED_STATEMENT_LINE', await this.lines.raiseUnmatchedLines(manager, now));
      const cities = await this.lines.coveredCities(manager);
      await this.movements.forEachPaymentBefore(
        manager,
        before,
        cities.map((city) => `${city}%`),
        async (payments) => {
          alerts += await this.announce(manager, 'PAYMENT_NOT_ON_STATEMENT', await this.lines.raisePaymentsNotOnStatement(manager, payments, now));
        },
      );
      await this.movements.forEachExecutedPayoutBefore(manager, before, async (payouts) => {
        alerts += await this.announce(manager, 'PAYOUT_NOT_ON_STATEMENT', await this.lines.raisePayoutsNotOnStatement(manager, payouts, now));
      });
      if (matched || alerts) this.logger.log(`reconciliation: ${matched} lines matched, ${alerts} alerts`);
      return { matched, alerts };
    });
  }

  /**
   * Pairs unmatched lines with the payments and payouts they show: same reference and amount, a payment
   * in the bank's city, nothing matched to it yet. Each payment or payout pairs with one line at most;
   * where several fit, the lowest id.
   */
  private async matchesOf(manager: EntityManager, unmatched: UnmatchedLineRow[]): Promise<LineMatch[]> {
    const references = (direction: 'in' | 'out') => [...new Set(unmatched.filter((line) => line.direction === direction).map((line) => line.reference))];
    const payments = await this.movements.paymentsByReference(manager, references('in'));
    const payouts = await this.movements.executedPayoutsByReference(manager, references('out'));
    const taken = await this.lines.matchedAmong(
      manager,
      [...payments, ...payouts].map((movement) => movement.id),
    );
    const pick = <T extends PaymentMovement | PayoutMovement>(candidates: T[], fits: (candidate: T) => boolean): T | undefined => {
      const found = candidates.find((candidate) => !taken.has(candidate.id) && fits(candidate));
      if (found) taken.add(found.id);
      return found;
    };
    return unmatched.flatMap((line): LineMatch[] => {
      const found =
        line.direction === 'in'
          ? pick(payments, (p) => p.reference === line.reference && p.amountFen === line.amountFen && p.districtCode.startsWith(line.districtCode.slice(0, 4)))
          : pick(payouts, (i) => i.bankRef === line.reference && i.amountFen === line.amountFen);
      return found ? [{ lineId: line.id, kind: line.direction === 'in' ? 'payment' : 'payout', matchedId: found.id }] : [];
    });
  }

  /** An outbox event per alert raised, so the district's regulators hear of it; answers how many. */
  private async announce(manager: EntityManager, ruleCode: ReconciliationRule, raised: RaisedAlert[]): Promise<number> {
    for (const alert of raised) await this.outbox.add(manager, 'reconciliation.alert', { alertId: alert.id, districtCode: alert.districtCode, ruleCode });
    return raised.length;
  }
}
