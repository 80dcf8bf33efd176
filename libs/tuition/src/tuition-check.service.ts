import { Injectable } from '@nestjs/common';
import { Principal, districtPrefix } from '@app/core';
import { InvariantResult, LedgerCheckService, LedgerService } from '@app/ledger';
import { InstitutionFactsService } from '@app/registry';
import { DataSource } from 'typeorm';
import { PayoutInstructionsRepository } from './bank/payout-instructions.repository';
import { ContractsRepository } from './contracts/contracts.repository';
import { PaymentsRepository } from './payments/payments.repository';

/** What leaves a contract's escrow for the parent: a refund, or money returned the moment it arrived. */
const ESCROW_OUTFLOWS = ['refund', 'payment_returned'];

/**
 * Every invariant of the escrow ledger, the ledger's own and the contracts', over what the caller may
 * see: the admin the whole database, a regulator the institutions of its district (or city). The figures
 * and ids in the answer are of those institutions only.
 */
@Injectable()
export class TuitionCheckService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly contracts: ContractsRepository,
    private readonly payments: PaymentsRepository,
    private readonly payouts: PayoutInstructionsRepository,
    private readonly ledger: LedgerService,
    private readonly ledgerCheck: LedgerCheckService,
    private readonly institutions: InstitutionFactsService,
  ) {}

  async invariants(principal: Principal): Promise<InvariantResult[]> {
    const prefix = districtPrefix(principal);
    // Deny by default: a caller without a district scope checks nothing rather than everything.
    const institutionIds = prefix === '' ? null : await this.institutions.idsInDistricts(prefix ?? 'none');
    return [
      ...(await this.ledgerCheck.check(this.dataSource.manager, institutionIds)),
      await this.contractEscrow(institutionIds),
      await this.custodyBackedByReceipts(institutionIds),
    ];
  }

  /**
   * Custody never counts money for which no receipt exists (DESIGN §9): per institution, custody equals
   * what the bank confirmed receiving for its orders less what the bank confirmed paying out.
   */
  private async custodyBackedByReceipts(institutionIds: string[] | null): Promise<InvariantResult> {
    const db = this.dataSource.manager;
    const [received, executed, custody] = await Promise.all([
      this.payments.receivedByInstitution(db, institutionIds),
      this.payouts.executedByInstitution(db, institutionIds),
      this.ledger.custodyByInstitution(db, institutionIds),
    ]);
    const receivedOf = new Map(received.map((row) => [row.institutionId, row.receivedFen]));
    const executedOf = new Map(executed.map((row) => [row.institutionId, row.executedFen]));
    const mismatched = custody
      .map((row) => ({
        institutionId: row.institutionId,
        custodyFen: row.custodyFen,
        bankFen: (receivedOf.get(row.institutionId) ?? 0) - (executedOf.get(row.institutionId) ?? 0),
      }))
      .filter((row) => row.custodyFen !== row.bankFen);
    return {
      invariant: 'custody_backed_by_receipts',
      ok: mismatched.length === 0,
      figures: { institutions: custody.length, receivedFen: received.reduce((sum, row) => sum + row.receivedFen, 0), mismatched: mismatched.slice(0, 20) },
    };
  }

  /**
   * Invariant 4, per contract: escrow posted = received − confirmed − refunded (money the bank received,
   * whether kept or returned at once, less confirmed lessons and what went back to the parent), and
   * confirmed + pending + refunded lessons ≤ purchased lessons.
   */
  private async contractEscrow(institutionIds: string[] | null): Promise<InvariantResult> {
    const db = this.dataSource.manager;
    const contracts = await this.contracts.figures(db, institutionIds);
    const contractIds = institutionIds === null ? null : contracts.map((contract) => contract.id);
    const [escrows, outflows] = await Promise.all([
      this.ledger.escrowOfContracts(db, contractIds),
      this.ledger.transferTotals(db, contractIds, ESCROW_OUTFLOWS),
    ]);
    const escrowOf = new Map(escrows.map((escrow) => [escrow.contractId, escrow.escrowFen]));
    const outflowOf = new Map(outflows.map((total) => [`${total.contractId}:${total.code}`, total.totalFen]));
    const outOf = (contractId: string, code: string) => outflowOf.get(`${contractId}:${code}`) ?? 0;
    const mismatched = contracts
      .map((contract) => {
        const refunded = outOf(contract.id, 'refund');
        return {
          id: contract.id,
          escrow: escrowOf.get(contract.id) ?? 0,
          expected: contract.receivedFen - contract.confirmedFen - refunded - outOf(contract.id, 'payment_returned'),
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
