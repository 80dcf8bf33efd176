import { Injectable } from '@nestjs/common';
import { Clock, Db, DomainError, nameBasedUuid } from '@app/core';
import { QueryFailedError } from 'typeorm';
import { LedgerErrors } from './ledger.errors';
import { CodeBalance, LedgerRepository } from './ledger.repository';
import { AccountBalances, AccountCode, PendingResolution, TransferRequest } from './ledger.types';

const INSTITUTION_ACCOUNTS: Array<Exclude<AccountCode, 'escrow'>> = ['custody', 'payable', 'reserve', 'refunds', 'payouts'];

/**
 * Double-entry accounts and transfers in PostgreSQL, in the TigerBeetle model. It knows nothing about
 * tuition. Every method runs in the caller's transaction (`manager`), so a money movement commits or
 * rolls back with the business change it belongs to.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly clock: Clock,
  ) {}

  static institutionAccountId(institutionId: string, code: Exclude<AccountCode, 'escrow'>): string {
    return nameBasedUuid('ledger-account', institutionId, code);
  }

  static escrowAccountId(contractId: string): string {
    return nameBasedUuid('ledger-account', 'escrow', contractId);
  }

  /** Opens an institution's custody, payable, reserve, refunds and payouts accounts (idempotent). */
  async openInstitutionAccounts(db: Db, institutionId: string): Promise<void> {
    const accounts = INSTITUTION_ACCOUNTS.map((code) => ({ id: LedgerService.institutionAccountId(institutionId, code), code }));
    await this.ledger.openInstitutionAccounts(db, institutionId, accounts, this.clock.now());
  }

  /** Opens a contract's escrow account, which may never go below zero counting pending debits. */
  async openEscrowAccount(db: Db, institutionId: string, contractId: string): Promise<string> {
    return (await this.openEscrowAccounts(db, institutionId, [contractId]))[0];
  }

  /** Opens the escrow accounts of many contracts of one institution in one statement (bulk loads). */
  async openEscrowAccounts(db: Db, institutionId: string, contractIds: string[]): Promise<string[]> {
    await this.openInstitutionAccounts(db, institutionId);
    const accounts = contractIds.map((contractId) => ({ id: LedgerService.escrowAccountId(contractId), contractId }));
    await this.ledger.openEscrowAccounts(db, institutionId, accounts, this.clock.now());
    return accounts.map((account) => account.id);
  }

  /**
   * Applies a batch of transfers, all or nothing, in one round trip: the database function
   * ledger_apply (migration 1765000000000) resolves pending transfers, locks every account in id order,
   * inserts the transfers (a retry with the same fields is skipped, other fields refused) and moves the
   * balances by one guarded statement, so concurrent batches never deadlock and no balance limit is
   * crossed; the table's CHECK constraints stand behind the guard.
   */
  async apply(db: Db, requests: TransferRequest[]): Promise<void> {
    if (!requests.length) return;
    for (const request of requests) {
      if ((request.kind === 'posted' || request.kind === 'pending') && (!Number.isSafeInteger(request.amount) || request.amount <= 0))
        throw LedgerErrors.invalidAmount(request.id);
    }
    const newTransfer = (request: TransferRequest) => (request.kind === 'posted' || request.kind === 'pending' ? request : undefined);
    try {
      await this.ledger.apply(db, {
        ids: requests.map((request) => request.id),
        kinds: requests.map((request) => request.kind),
        debitAccountIds: requests.map((request) => newTransfer(request)?.debitAccountId ?? null),
        creditAccountIds: requests.map((request) => newTransfer(request)?.creditAccountId ?? null),
        amounts: requests.map((request) => newTransfer(request)?.amount ?? null),
        pendingIds: requests.map((request) => (newTransfer(request) ? null : (request as PendingResolution).pendingId)),
        codes: requests.map((request) => request.code),
        contractIds: requests.map((request) => request.contractId ?? null),
        referenceIds: requests.map((request) => request.referenceId ?? null),
        at: this.clock.now(),
      });
    } catch (error) {
      throw refusalOf(error) ?? error;
    }
  }

  /**
   * Locks accounts in id order. A transaction that applies transfers more than once must first lock
   * every account it will touch with one call: locks taken in two rounds could interleave with another
   * transaction's and deadlock. (Row locks on institutions, contracts and consumptions come before.)
   * NO KEY UPDATE: balance changes never touch the key, so foreign-key checks (KEY SHARE) of other
   * transactions inserting transfers are not blocked by, and do not block, these locks.
   */
  async lockAccounts(db: Db, accountIds: string[]): Promise<void> {
    await this.ledger.lockAccounts(db, [...new Set(accountIds)]);
  }

  balances(db: Db, accountIds: string[]): Promise<AccountBalances[]> {
    return this.ledger.balances(db, accountIds);
  }

  /** Balances per account code over some institutions: one institution's desk, or a district's escrow. */
  balancesByCode(db: Db, institutionIds: string[]): Promise<CodeBalance[]> {
    return this.ledger.balancesByCode(db, institutionIds);
  }

  /** What each institution's custody holds. */
  custodyByInstitution(db: Db, institutionIds: string[] | null = null): Promise<Array<{ institutionId: string; custodyFen: number }>> {
    return this.ledger.custodyByInstitution(db, institutionIds);
  }

  /** Whether any contract escrow of the institution still holds money, posted or pending. */
  escrowHeld(db: Db, institutionId: string): Promise<boolean> {
    return this.ledger.escrowHeld(db, institutionId);
  }

  /** Those of the institutions that have ledger accounts (that ever sold a contract). */
  institutionsWithAccounts(db: Db, institutionIds: string[]): Promise<string[]> {
    return this.ledger.institutionsWithAccounts(db, institutionIds);
  }

  /** Per contract escrow: posted balance and pending debits (all contracts for null). */
  escrowOfContracts(db: Db, contractIds: string[] | null): Promise<Array<{ contractId: string; escrowFen: number; pendingFen: number }>> {
    return this.ledger.escrowOfContracts(db, contractIds);
  }

  /** Σ amount per contract and code, for the codes asked (e.g. what was refunded from each escrow); all contracts for null. */
  transferTotals(db: Db, contractIds: string[] | null, codes: string[]): Promise<Array<{ contractId: string; code: string; totalFen: number }>> {
    return this.ledger.transferTotals(db, contractIds, codes);
  }

  /** Posted movements of the institutions' custody per business day and code, over all time. */
  custodyMovesByDay(db: Db, institutionIds: string[]): Promise<Array<{ date: string; code: string; inFen: number; outFen: number }>> {
    return this.ledger.custodyMovesByDay(db, institutionIds);
  }
}

/** The ledger's refusal behind a database error of ledger_apply, if it is one (else undefined). */
function refusalOf(error: unknown): DomainError | undefined {
  const driverError = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string; message?: string; detail?: string } }).driverError;
  // PostgreSQL names the offending key in the detail of a unique or foreign-key violation: "Key (pending_id)=(…) …".
  const keyInDetail = () => driverError?.detail?.match(/[0-9a-f]{8}-[0-9a-f-]{27}/)?.[0] ?? '';
  switch (driverError?.code) {
    case 'LG404':
      return LedgerErrors.pendingNotFound(driverError.message!);
    case 'LG409':
      return LedgerErrors.existsWithDifferentFields(driverError.message!);
    case 'LG422':
      return LedgerErrors.insufficientFunds(driverError.message!, driverError.detail!);
    case '23505':
      return driverError.constraint === 'UQ_LEDGER_TRANSFERS_PENDING_RESOLUTION' ? LedgerErrors.pendingAlreadyResolved(keyInDetail()) : undefined;
    case '23503':
      return LedgerErrors.accountNotFound(keyInDetail());
    default:
      return undefined;
  }
}
