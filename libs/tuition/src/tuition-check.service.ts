import { Injectable } from '@nestjs/common';
import { InvariantResult, LedgerCheckService } from '@app/ledger';
import { DataSource, EntityManager } from 'typeorm';

/** Every invariant of DESIGN §5 over the whole database: the ledger's own, and the contracts'. */
@Injectable()
export class TuitionCheckService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledgerCheck: LedgerCheckService,
  ) {}

  async invariants(): Promise<InvariantResult[]> {
    const manager = this.dataSource.manager;
    return [...(await this.ledgerCheck.check(manager)), await this.contractEscrow(manager)];
  }

  /**
   * Invariant 4, per contract: escrow posted = paid − confirmed − refunded, and
   * confirmed + pending + refunded lessons ≤ purchased lessons.
   */
  private async contractEscrow(manager: EntityManager): Promise<InvariantResult> {
    const rows: Array<{ id: string; escrow: number; expected: number; lessonsUsed: number; lessons: number }> = await manager.query(
      `WITH figures AS (
         SELECT c.id, c.lessons, c.lesson_price_fen,
                coalesce(a.credits_posted - a.debits_posted, 0) AS escrow,
                coalesce((SELECT sum(amount_fen) FROM payments p WHERE p.contract_id = c.id), 0) AS paid,
                coalesce((SELECT sum(amount_fen) FROM consumptions s WHERE s.contract_id = c.id AND s.status = 'confirmed'), 0) AS confirmed,
                coalesce((SELECT sum(amount) FROM ledger_transfers t WHERE t.contract_id = c.id AND t.code = 'refund'), 0) AS refunded,
                (SELECT count(*) FROM consumptions s WHERE s.contract_id = c.id AND s.status IN ('pending', 'disputed', 'confirmed')) AS used
         FROM contracts c LEFT JOIN ledger_accounts a ON a.contract_id = c.id
       )
       SELECT id, escrow::bigint, (paid - confirmed - refunded)::bigint AS expected,
              (used + (refunded / lesson_price_fen))::int AS "lessonsUsed", lessons
       FROM figures
       WHERE escrow <> paid - confirmed - refunded OR used + (refunded / lesson_price_fen) > lessons
       LIMIT 20`,
    );
    const [{ contracts }] = await manager.query(`SELECT count(*)::int AS contracts FROM contracts`);
    return { invariant: 'contract_escrow_matches_activity', ok: rows.length === 0, figures: { contracts, mismatched: rows } };
  }
}
