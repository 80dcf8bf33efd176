import { randomUUID } from 'node:crypto';
import { databaseOptions } from '@app/core';
import { LedgerService, NewTransfer, TransferRequest } from '@app/ledger';
import { LedgerRepository } from '@app/ledger/ledger.repository';
import { DataSource } from 'typeorm';
import { testClock } from '../support/clock';
import { createTestDatabase } from '../support/test-database';

/**
 * The ledger on its own (it knows nothing about tuition), against real PostgreSQL: each movement,
 * each refusal with its code, and that a refused batch changes nothing at all.
 */
describe('ledger apply', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  const ledger = new LedgerService(new LedgerRepository(), testClock());
  const institutionId = randomUUID();
  const custody = LedgerService.institutionAccountId(institutionId, 'custody');
  const payable = LedgerService.institutionAccountId(institutionId, 'payable');
  let escrow: string;

  const apply = (requests: TransferRequest[]) => dataSource.transaction((manager) => ledger.apply(manager, requests));
  const balance = async (id: string) => {
    const [account] = await ledger.balances(dataSource.manager, [id]);
    return {
      debitsPosted: Number(account.debitsPosted),
      creditsPosted: Number(account.creditsPosted),
      debitsPending: Number(account.debitsPending),
      creditsPending: Number(account.creditsPending),
    };
  };
  const transferCount = async () => Number((await dataSource.query(`SELECT count(*) AS n FROM ledger_transfers`))[0].n);
  const pay = (amount: number, id = randomUUID()): NewTransfer => ({
    id,
    kind: 'posted',
    code: 'payment',
    debitAccountId: custody,
    creditAccountId: escrow,
    amount,
  });
  const reserve = (amount: number, id = randomUUID()): NewTransfer => ({
    id,
    kind: 'pending',
    code: 'lesson',
    debitAccountId: escrow,
    creditAccountId: payable,
    amount,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource({ ...databaseOptions(database.url), logging: false }).initialize(); // refusals are expected here: no error logs
    escrow = await dataSource.transaction((manager) => ledger.openEscrowAccount(manager, institutionId, randomUUID()));
    await apply([pay(100_00)]);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('moves posted money on both sides, and a retry with the same id and fields changes nothing', async () => {
    const before = await balance(escrow);
    const payment = pay(50_00);
    await apply([payment]);
    await apply([payment]);
    expect(await balance(escrow)).toEqual({ ...before, creditsPosted: before.creditsPosted + 50_00 });
  });

  it('refuses an existing id with other fields, and changes nothing', async () => {
    const payment = pay(10_00);
    await apply([payment]);
    const before = [await balance(escrow), await transferCount()];
    await expect(apply([{ ...payment, amount: 11_00 }])).rejects.toMatchObject({
      code: 'LEDGER.TRANSFER_EXISTS_WITH_DIFFERENT_FIELDS',
      extras: { transferId: payment.id },
    });
    expect([await balance(escrow), await transferCount()]).toEqual(before);
  });

  it('reserves a pending amount, posts it once, and refuses a second post or a void', async () => {
    const before = await balance(escrow);
    const lesson = reserve(30_00);
    await apply([lesson]);
    expect(await balance(escrow)).toEqual({ ...before, debitsPending: before.debitsPending + 30_00 });
    const post: TransferRequest = { id: randomUUID(), kind: 'post_pending', code: 'lesson_confirmed', pendingId: lesson.id };
    await apply([post]);
    await apply([post]); // the same resolution again: a retry
    expect(await balance(escrow)).toEqual({ ...before, debitsPosted: before.debitsPosted + 30_00 });
    expect(await balance(payable)).toMatchObject({ creditsPosted: 30_00, creditsPending: 0 });
    await expect(apply([{ ...post, id: randomUUID() }])).rejects.toMatchObject({ code: 'LEDGER.PENDING_ALREADY_RESOLVED', extras: { pendingId: lesson.id } });
    await expect(apply([{ id: randomUUID(), kind: 'void_pending', code: 'lesson_voided', pendingId: lesson.id }])).rejects.toMatchObject({
      code: 'LEDGER.PENDING_ALREADY_RESOLVED',
    });
  });

  it('voids a pending amount back to where it was', async () => {
    const before = await balance(escrow);
    const lesson = reserve(20_00);
    await apply([lesson]);
    await apply([{ id: randomUUID(), kind: 'void_pending', code: 'lesson_voided', pendingId: lesson.id }]);
    expect(await balance(escrow)).toEqual(before);
  });

  it('refuses a batch that would overdraw the escrow, counting pending debits, and applies none of it', async () => {
    const { creditsPosted, debitsPosted, debitsPending } = await balance(escrow);
    const available = creditsPosted - debitsPosted - debitsPending;
    const count = await transferCount();
    const batch = [reserve(available - 1), reserve(2)];
    await expect(apply(batch)).rejects.toMatchObject({ status: 422, code: 'LEDGER.INSUFFICIENT_ESCROW', extras: { accountId: escrow } });
    expect(await transferCount()).toBe(count);
    await apply([reserve(available)]);
    expect((await balance(escrow)).debitsPending).toBe(debitsPending + available);
  });

  it('refuses an unknown pending transfer, an unknown account and an amount that is not whole positive fen', async () => {
    await expect(apply([{ id: randomUUID(), kind: 'post_pending', code: 'x', pendingId: randomUUID() }])).rejects.toMatchObject({
      code: 'LEDGER.PENDING_TRANSFER_NOT_FOUND',
    });
    const nowhere = randomUUID();
    await expect(apply([{ ...pay(1), creditAccountId: nowhere }])).rejects.toMatchObject({ code: 'LEDGER.ACCOUNT_NOT_FOUND', extras: { accountId: nowhere } });
    for (const amount of [0, -5, 1.5, Number.MAX_SAFE_INTEGER + 2]) await expect(apply([pay(amount)])).rejects.toMatchObject({ code: 'LEDGER.INVALID_AMOUNT' });
  });

  it('keeps transfers append-only', async () => {
    await expect(dataSource.query(`UPDATE ledger_transfers SET amount = amount + 1`)).rejects.toThrow();
    await expect(dataSource.query(`DELETE FROM ledger_transfers`)).rejects.toThrow();
  });
});
