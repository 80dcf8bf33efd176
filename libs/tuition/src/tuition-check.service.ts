import { Injectable } from '@nestjs/common';
import { InvariantResult, LedgerCheckService, LedgerService } from '@app/ledger';
import { DataSource } from 'typeorm';
import { ContractsRepository } from './contracts/contracts.repository';

/** Every invariant of DESIGN §5 over the whole database: the ledger's own, and the contracts'. */
@Injectable()
export class TuitionCheckService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contracts: ContractsRepository,
    private readonly ledger: LedgerService,
    private readonly ledgerCheck: LedgerCheckService,
  ) {}

  async invariants(): Promise<InvariantResult[]> {
    return [...(await this.ledgerCheck.check(this.dataSource.manager)), await this.contractEscrow()];
  }

  /**
   * Invariant 4, per contract: escrow posted = paid − confirmed − refunded, and
   * confirmed + pending + refunded lessons ≤ purchased lessons.
   */
  private async contractEscrow(): Promise<InvariantResult> {
    const db = this.dataSource.manager;
    const [contracts, escrows, refunds] = await Promise.all([
      this.contracts.figures(db),
      this.ledger.escrowOfContracts(db, null),
      this.ledger.transferTotals(db, null, ['refund']),
    ]);
    const escrowOf = new Map(escrows.map((escrow) => [escrow.contractId, escrow.escrowFen]));
    const refundedOf = new Map(refunds.map((refund) => [refund.contractId, refund.totalFen]));
    const mismatched = contracts
      .map((contract) => {
        const refunded = refundedOf.get(contract.id) ?? 0;
        return {
          id: contract.id,
          escrow: escrowOf.get(contract.id) ?? 0,
          expected: contract.paidFen - contract.confirmedFen - refunded,
          lessonsUsed: contract.lessonsUsed + Math.floor(refunded / contract.lessonPriceFen),
          lessons: contract.lessons,
        };
      })
      .filter((contract) => contract.escrow !== contract.expected || contract.lessonsUsed > contract.lessons);
    return {
      invariant: 'contract_escrow_matches_activity',
      ok: mismatched.length === 0,
      figures: { contracts: contracts.length, mismatched: mismatched.slice(0, 20) },
    };
  }
}
