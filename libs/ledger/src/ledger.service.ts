import { Injectable } from '@nestjs/common';
import { Clock, DomainError, nameBasedUuid } from '@app/core';
import { EntityManager, QueryFailedError } from 'typeorm';
import { LedgerErrors } from './ledger.errors';
import { AccountBalances, AccountCode, PendingResolution, TransferRequest } from './ledger.types';

const INSTITUTION_ACCOUNTS: AccountCode[] = ['custody', 'payable', 'reserve', 'refunds'];

/**
 * Double-entry accounts and transfers in PostgreSQL, in the TigerBeetle model. It knows nothing about
 * tuition. Every method runs in the caller's transaction (`manager`), so a money movement commits or
 * rolls back with the business change it belongs to.
 */
@Injectable()
export class LedgerService {
  constructor(private readonly clock: Clock) {}

  static institutionAccountId(institutionId: string, code: Exclude<AccountCode, 'escrow'>): string {
    return nameBasedUuid('ledger-account', institutionId, code);
  }

  static escrowAccountId(contractId: string): string {
    return nameBasedUuid('ledger-account', 'escrow', contractId);
  }

  /** Opens an institution's custody, payable, reserve and refunds accounts (idempotent). */
  async openInstitutionAccounts(manager: EntityManager, institutionId: string): Promise<void> {
    await manager.query(
      `INSERT INTO ledger_accounts (id, code, institution_id, debits_must_not_exceed_credits, credits_must_not_exceed_debits, created_at)
       SELECT id, code, $1, code <> 'custody', code = 'custody', $4 FROM unnest($2::uuid[], $3::text[]) AS a(id, code)
       ON CONFLICT DO NOTHING`,
      [
        institutionId,
        INSTITUTION_ACCOUNTS.map((code) => LedgerService.institutionAccountId(institutionId, code as Exclude<AccountCode, 'escrow'>)),
        INSTITUTION_ACCOUNTS,
        this.clock.now(),
      ],
    );
  }

  /** Opens a contract's escrow account, which may never go below zero counting pending debits. */
  async openEscrowAccount(manager: EntityManager, institutionId: string, contractId: string): Promise<string> {
    await this.openInstitutionAccounts(manager, institutionId);
    const id = LedgerService.escrowAccountId(contractId);
    await manager.query(
      `INSERT INTO ledger_accounts (id, code, institution_id, contract_id, debits_must_not_exceed_credits, credits_must_not_exceed_debits, created_at)
       VALUES ($1, 'escrow', $2, $3, true, false, $4) ON CONFLICT DO NOTHING`,
      [id, institutionId, contractId, this.clock.now()],
    );
    return id;
  }

  /**
   * Applies a batch of transfers, all or nothing, in one round trip: the database function
   * ledger_apply (migration 1765000000000) resolves pending transfers, locks every account in id order,
   * inserts the transfers (a retry with the same fields is skipped, other fields refused) and moves the
   * balances by one guarded statement, so concurrent batches never deadlock and no balance limit is
   * crossed; the table's CHECK constraints stand behind the guard.
   */
  async apply(manager: EntityManager, requests: TransferRequest[]): Promise<void> {
    if (!requests.length) return;
    for (const request of requests) {
      if ((request.kind === 'posted' || request.kind === 'pending') && (!Number.isSafeInteger(request.amount) || request.amount <= 0))
        throw LedgerErrors.invalidAmount(request.id);
    }
    const field = <T>(pick: (request: TransferRequest) => T | undefined) => requests.map((request) => pick(request) ?? null);
    const newTransfer = (request: TransferRequest) => (request.kind === 'posted' || request.kind === 'pending' ? request : undefined);
    try {
      await manager.query(
        `SELECT ledger_apply($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::bigint[], $6::uuid[], $7::text[], $8::uuid[], $9::uuid[], $10::timestamptz)`,
        [
          field((request) => request.id),
          field((request) => request.kind),
          field((request) => newTransfer(request)?.debitAccountId),
          field((request) => newTransfer(request)?.creditAccountId),
          field((request) => newTransfer(request)?.amount),
          field((request) => (newTransfer(request) ? undefined : (request as PendingResolution).pendingId)),
          field((request) => request.code),
          field((request) => request.contractId),
          field((request) => request.referenceId),
          this.clock.now(),
        ],
      );
    } catch (error) {
      throw refusalOf(error) ?? error;
    }
  }

  /**
   * Locks accounts in id order. A transaction that applies transfers more than once must first lock
   * every account it will touch with one call: locks taken in two rounds could interleave with another
   * transaction's and deadlock. (Row locks on institutions, contracts and consumptions come before.)
   */
  async lockAccounts(manager: EntityManager, accountIds: string[]): Promise<void> {
    // NO KEY UPDATE: balance changes never touch the key, so foreign-key checks (KEY SHARE) of other
    // transactions inserting transfers are not blocked by, and do not block, these locks.
    await manager.query(`SELECT id FROM ledger_accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`, [[...new Set(accountIds)]]);
  }

  async balances(manager: EntityManager, accountIds: string[]): Promise<AccountBalances[]> {
    return manager.query(
      `SELECT id, code, institution_id AS "institutionId", contract_id AS "contractId", debits_posted AS "debitsPosted",
              credits_posted AS "creditsPosted", debits_pending AS "debitsPending", credits_pending AS "creditsPending"
       FROM ledger_accounts WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [accountIds],
    );
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
