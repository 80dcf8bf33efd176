import { Injectable } from '@nestjs/common';
import { nameBasedUuid } from '@app/core';
import { EntityManager, QueryFailedError } from 'typeorm';
import { LedgerErrors } from './ledger.errors';
import { AccountBalances, AccountCode, PendingResolution, TransferRequest, TransferRow } from './ledger.types';

const INSTITUTION_ACCOUNTS: AccountCode[] = ['custody', 'payable', 'reserve', 'refunds'];

type Delta = { debitsPosted: number; creditsPosted: number; debitsPending: number; creditsPending: number };

/**
 * Double-entry accounts and transfers in PostgreSQL, in the TigerBeetle model. It knows nothing about
 * tuition. Every method runs in the caller's transaction (`manager`), so a money movement commits or
 * rolls back with the business change it belongs to.
 */
@Injectable()
export class LedgerService {
  static institutionAccountId(institutionId: string, code: Exclude<AccountCode, 'escrow'>): string {
    return nameBasedUuid('ledger-account', institutionId, code);
  }

  static escrowAccountId(contractId: string): string {
    return nameBasedUuid('ledger-account', 'escrow', contractId);
  }

  /** Opens an institution's custody, payable, reserve and refunds accounts (idempotent). */
  async openInstitutionAccounts(manager: EntityManager, institutionId: string): Promise<void> {
    await manager.query(
      `INSERT INTO ledger_accounts (id, code, institution_id, debits_must_not_exceed_credits, credits_must_not_exceed_debits)
       SELECT id, code, $1, code <> 'custody', code = 'custody' FROM unnest($2::uuid[], $3::text[]) AS a(id, code)
       ON CONFLICT DO NOTHING`,
      [institutionId, INSTITUTION_ACCOUNTS.map((code) => LedgerService.institutionAccountId(institutionId, code as Exclude<AccountCode, 'escrow'>)), INSTITUTION_ACCOUNTS],
    );
  }

  /** Opens a contract's escrow account, which may never go below zero counting pending debits. */
  async openEscrowAccount(manager: EntityManager, institutionId: string, contractId: string): Promise<string> {
    await this.openInstitutionAccounts(manager, institutionId);
    const id = LedgerService.escrowAccountId(contractId);
    await manager.query(
      `INSERT INTO ledger_accounts (id, code, institution_id, contract_id, debits_must_not_exceed_credits, credits_must_not_exceed_debits)
       VALUES ($1, 'escrow', $2, $3, true, false) ON CONFLICT DO NOTHING`,
      [id, institutionId, contractId],
    );
    return id;
  }

  /**
   * Applies a batch of transfers, all or nothing. A transfer whose id exists with the same fields is
   * skipped (idempotent retry); with other fields it is refused. Account rows are locked in id order,
   * then updated by one guarded statement, so concurrent batches never deadlock and no balance limit
   * is crossed; the table's CHECK constraints stand behind the guard.
   */
  async apply(manager: EntityManager, requests: TransferRequest[]): Promise<{ created: TransferRow[]; existing: TransferRow[] }> {
    if (!requests.length) return { created: [], existing: [] };
    const rows = await this.toRows(manager, requests);
    // Accounts are locked before the transfers are inserted: the insert's foreign-key checks take share
    // locks on them, which taken first and in any order could close a cycle with another batch.
    await this.lockAccounts(manager, rows.flatMap((row) => [row.debitAccountId, row.creditAccountId]));
    const inserted = await this.insert(manager, rows);
    const existing = rows.filter((row) => !inserted.has(row.id));
    if (existing.length) await this.assertSame(manager, existing);
    const created = rows.filter((row) => inserted.has(row.id));
    await this.updateBalances(manager, created);
    return { created, existing };
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

  async transfer(manager: EntityManager, id: string): Promise<TransferRow | undefined> {
    const [row] = await manager.query(`${SELECT_TRANSFERS} WHERE id = $1`, [id]);
    return row;
  }

  private async toRows(manager: EntityManager, requests: TransferRequest[]): Promise<TransferRow[]> {
    const pendingIds = requests.flatMap((request) => (request.kind === 'post_pending' || request.kind === 'void_pending' ? [request.pendingId] : []));
    const pending = new Map<string, TransferRow>();
    if (pendingIds.length) {
      const found: TransferRow[] = await manager.query(`${SELECT_TRANSFERS} WHERE id = ANY($1::uuid[]) AND kind = 'pending'`, [pendingIds]);
      for (const row of found) pending.set(row.id, row);
    }
    return requests.map((request) => {
      const references = { code: request.code, contractId: request.contractId ?? null, referenceId: request.referenceId ?? null };
      if (request.kind === 'posted' || request.kind === 'pending') {
        if (!Number.isSafeInteger(request.amount) || request.amount <= 0) throw LedgerErrors.invalidAmount(request.id);
        return { id: request.id, kind: request.kind, debitAccountId: request.debitAccountId, creditAccountId: request.creditAccountId, amount: request.amount, pendingId: null, ...references };
      }
      const { pendingId } = request as PendingResolution;
      const original = pending.get(pendingId);
      if (!original) throw LedgerErrors.pendingNotFound(pendingId);
      return { id: request.id, kind: request.kind, debitAccountId: original.debitAccountId, creditAccountId: original.creditAccountId, amount: original.amount, pendingId: original.id, ...references };
    });
  }

  private async insert(manager: EntityManager, rows: TransferRow[]): Promise<Set<string>> {
    try {
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO ledger_transfers (id, debit_account_id, credit_account_id, amount, kind, pending_id, code, contract_id, reference_id)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::uuid[], $7::text[], $8::uuid[], $9::uuid[])
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          rows.map((row) => row.id),
          rows.map((row) => row.debitAccountId),
          rows.map((row) => row.creditAccountId),
          rows.map((row) => row.amount),
          rows.map((row) => row.kind),
          rows.map((row) => row.pendingId),
          rows.map((row) => row.code),
          rows.map((row) => row.contractId),
          rows.map((row) => row.referenceId),
        ],
      );
      return new Set(inserted.map((row) => row.id));
    } catch (error) {
      const driverError = (error as QueryFailedError & { driverError?: { code?: string; constraint?: string } }).driverError;
      if (driverError?.code === '23505' && driverError.constraint === 'UQ_LEDGER_TRANSFERS_PENDING_RESOLUTION') {
        throw LedgerErrors.pendingAlreadyResolved(rows.find((row) => row.pendingId)?.pendingId ?? '');
      }
      if (driverError?.code === '23503') throw LedgerErrors.accountNotFound(rows[0].debitAccountId);
      throw error;
    }
  }

  private async assertSame(manager: EntityManager, rows: TransferRow[]): Promise<void> {
    const stored: TransferRow[] = await manager.query(`${SELECT_TRANSFERS} WHERE id = ANY($1::uuid[])`, [rows.map((row) => row.id)]);
    const byId = new Map(stored.map((row) => [row.id, row]));
    for (const row of rows) {
      const found = byId.get(row.id);
      const same =
        found &&
        (['debitAccountId', 'creditAccountId', 'amount', 'kind', 'pendingId', 'code', 'contractId', 'referenceId'] as const).every((field) => found[field] === row[field]);
      if (!same) throw LedgerErrors.existsWithDifferentFields(row.id);
    }
  }

  private async updateBalances(manager: EntityManager, rows: TransferRow[]): Promise<void> {
    const deltas = new Map<string, Delta>();
    const delta = (id: string) => {
      let found = deltas.get(id);
      if (!found) deltas.set(id, (found = { debitsPosted: 0, creditsPosted: 0, debitsPending: 0, creditsPending: 0 }));
      return found;
    };
    for (const row of rows) {
      const debit = delta(row.debitAccountId);
      const credit = delta(row.creditAccountId);
      if (row.kind === 'posted' || row.kind === 'post_pending') {
        debit.debitsPosted += row.amount;
        credit.creditsPosted += row.amount;
      }
      if (row.kind === 'pending') {
        debit.debitsPending += row.amount;
        credit.creditsPending += row.amount;
      }
      if (row.kind === 'post_pending' || row.kind === 'void_pending') {
        debit.debitsPending -= row.amount;
        credit.creditsPending -= row.amount;
      }
    }
    const ids = [...deltas.keys()].sort();
    if (!ids.length) return;
    const column = (field: keyof Delta) => ids.map((id) => deltas.get(id)![field]);
    const updated: Array<{ id: string }> = await manager.query(
      `UPDATE ledger_accounts a SET
         debits_posted = a.debits_posted + d.dp, credits_posted = a.credits_posted + d.cp,
         debits_pending = a.debits_pending + d.dq, credits_pending = a.credits_pending + d.cq
       FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS d(id, dp, cp, dq, cq)
       WHERE a.id = d.id
         AND (NOT a.debits_must_not_exceed_credits OR a.debits_posted + d.dp + a.debits_pending + d.dq <= a.credits_posted + d.cp)
         AND (NOT a.credits_must_not_exceed_debits OR a.credits_posted + d.cp + a.credits_pending + d.cq <= a.debits_posted + d.dp)
       RETURNING a.id`,
      [ids, column('debitsPosted'), column('creditsPosted'), column('debitsPending'), column('creditsPending')],
    );
    // TypeORM answers an UPDATE … RETURNING with [rows, affected].
    const done = new Set((Array.isArray(updated[0]) ? (updated[0] as Array<{ id: string }>) : updated).map((row) => row.id));
    const refused = ids.find((id) => !done.has(id));
    if (refused) {
      const [account] = await manager.query(`SELECT code FROM ledger_accounts WHERE id = $1`, [refused]);
      throw account ? LedgerErrors.insufficientFunds(refused, account.code) : LedgerErrors.accountNotFound(refused);
    }
  }
}

const SELECT_TRANSFERS = `SELECT id, debit_account_id AS "debitAccountId", credit_account_id AS "creditAccountId", amount, kind, pending_id AS "pendingId",
  code, contract_id AS "contractId", reference_id AS "referenceId" FROM ledger_transfers`;
