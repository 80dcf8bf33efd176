import { Injectable, Logger } from '@nestjs/common';
import { AuditService, Clock, OutboxService, Principal } from '@app/core';
import { addDays } from '@app/core/calendar/shanghai-time';
import { DataSource, EntityManager } from 'typeorm';

export interface StatementLine {
  date: string;
  amountFen: number;
  direction: 'in' | 'out';
  reference: string;
}

/** A payment or an executed payout the bank has not shown after this many days is raised as unmatched. */
const GRACE_DAYS = 3;

/**
 * Reconciles the supervising bank's statement lines with the ledger (DESIGN §5): a line "in" matches a
 * payment by its channel reference and amount, a line "out" an executed payout instruction by the bank's
 * reference and amount. Anything left unmatched, and a district whose bank balance differs from the
 * custody the ledger holds, raises one alert each (deduplicated, so the job is safe to run twice).
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** Stores the bank's lines; a line sent again (same direction and reference) is ignored. */
  async receive(bank: Principal, lines: StatementLine[]) {
    return this.dataSource.transaction(async (manager) => {
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO bank_statement_lines (bank_client_id, district_code, date, amount_fen, direction, reference, created_at)
         SELECT $1, $2, date, amount, direction, reference, $7 FROM unnest($3::date[], $4::bigint[], $5::text[], $6::text[]) AS l(date, amount, direction, reference)
         ON CONFLICT (bank_client_id, direction, reference) DO NOTHING RETURNING id`,
        [
          bank.id,
          bank.districtCode,
          lines.map((line) => line.date),
          lines.map((line) => line.amountFen),
          lines.map((line) => line.direction),
          lines.map((line) => line.reference),
          this.clock.now(),
        ],
      );
      await this.audit.record(manager, {
        action: 'bank.statement_received',
        targetType: 'bank_client',
        targetId: bank.id,
        districtCode: bank.districtCode,
        details: { lines: lines.length, new: inserted.length },
      });
      await this.outbox.add(manager, 'bank.statement_received', { bankClientId: bank.id, lines: inserted.length });
      return { received: lines.length, accepted: inserted.length, duplicates: lines.length - inserted.length };
    });
  }

  async reconcile(): Promise<{ matched: number; alerts: number }> {
    return this.dataSource.transaction(async (manager) => {
      // TypeORM answers an UPDATE … RETURNING with [rows, affected].
      const [matchedIn] = await manager.query(
        `UPDATE bank_statement_lines l SET matched_kind = 'payment', matched_id = p.id
         FROM payments p JOIN contracts c ON c.id = p.contract_id
         WHERE l.matched_id IS NULL AND l.direction = 'in' AND p.reference = l.reference AND p.amount_fen = l.amount_fen AND p.status IN ('confirmed', 'refunded') AND c.district_code LIKE left(l.district_code, 4) || '%'
           AND NOT EXISTS (SELECT 1 FROM bank_statement_lines o WHERE o.matched_id = p.id)
         RETURNING l.id`,
      );
      const [matchedOut] = await manager.query(
        `UPDATE bank_statement_lines l SET matched_kind = 'payout', matched_id = i.id
         FROM payout_instructions i
         WHERE l.matched_id IS NULL AND l.direction = 'out' AND i.status = 'executed' AND i.bank_ref = l.reference AND i.amount_fen = l.amount_fen
           AND NOT EXISTS (SELECT 1 FROM bank_statement_lines o WHERE o.matched_id = i.id)
         RETURNING l.id`,
      );
      const cutoff = addDays(this.clock.today(), -GRACE_DAYS);
      let alerts = 0;
      alerts += await this.raise(
        manager,
        `SELECT l.district_code AS "districtCode", NULL::uuid AS "institutionId", 'line:' || l.id AS key,
                json_build_object('lineId', l.id, 'date', l.date, 'amountFen', l.amount_fen, 'direction', l.direction, 'reference', l.reference) AS evidence
         FROM bank_statement_lines l WHERE l.matched_id IS NULL`,
        [],
        'UNMATCHED_STATEMENT_LINE',
      );
      alerts += await this.raise(
        manager,
        `SELECT c.district_code AS "districtCode", c.institution_id AS "institutionId", 'payment:' || p.id AS key,
                json_build_object('paymentId', p.id, 'amountFen', p.amount_fen, 'reference', p.reference, 'bankRef', p.bank_ref, 'receivedAt', p.received_at) AS evidence
         FROM payments p JOIN contracts c ON c.id = p.contract_id
         WHERE p.status IN ('confirmed', 'refunded') AND (p.received_at AT TIME ZONE 'Asia/Shanghai')::date < $1::date
           AND EXISTS (SELECT 1 FROM bank_statement_lines b WHERE c.district_code LIKE left(b.district_code, 4) || '%')
           AND NOT EXISTS (SELECT 1 FROM bank_statement_lines l WHERE l.matched_id = p.id)`,
        [cutoff],
        'PAYMENT_NOT_ON_STATEMENT',
      );
      alerts += await this.raise(
        manager,
        `SELECT i.district_code AS "districtCode", i.institution_id AS "institutionId", 'payout:' || i.id AS key,
                json_build_object('instructionId', i.id, 'amountFen', i.amount_fen, 'bankRef', i.bank_ref, 'executedAt', i.executed_at) AS evidence
         FROM payout_instructions i
         WHERE i.status = 'executed' AND (i.executed_at AT TIME ZONE 'Asia/Shanghai')::date < $1::date
           AND NOT EXISTS (SELECT 1 FROM bank_statement_lines l WHERE l.matched_id = i.id)`,
        [cutoff],
        'PAYOUT_NOT_ON_STATEMENT',
      );
      if (matchedIn.length || matchedOut.length || alerts)
        this.logger.log(`reconciliation: ${matchedIn.length + matchedOut.length} lines matched, ${alerts} alerts`);
      return { matched: matchedIn.length + matchedOut.length, alerts };
    });
  }

  private async raise(manager: EntityManager, findings: string, params: unknown[], ruleCode: string): Promise<number> {
    const raised = await manager.query(
      `INSERT INTO alerts (institution_id, district_code, kind, rule_code, severity, evidence, dedupe_key, created_at)
       SELECT "institutionId", "districtCode", 'reconciliation', $${params.length + 1}, 'red', evidence, key, $${params.length + 2}::timestamptz FROM (${findings}) f
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id, district_code`,
      [...params, ruleCode, this.clock.now()],
    );
    for (const alert of raised) await this.outbox.add(manager, 'reconciliation.alert', { alertId: alert.id, districtCode: alert.district_code, ruleCode });
    return raised.length;
  }
}
