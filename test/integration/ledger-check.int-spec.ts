import { randomUUID } from 'node:crypto';
import { databaseOptions } from '@app/core';
import { LedgerCheckService, LedgerService } from '@app/ledger';
import { LedgerCheckRepository } from '@app/ledger/ledger-check.repository';
import { LedgerRepository } from '@app/ledger/ledger.repository';
import { DataSource } from 'typeorm';
import { testClock } from '../support/clock';
import { createTestDatabase } from '../support/test-database';

describe('ledger check: no transfer crosses institutions', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  const ledger = new LedgerService(new LedgerRepository(), testClock());
  const check = new LedgerCheckService(new LedgerCheckRepository());
  const crossing = async () => (await check.check(dataSource.manager)).find((result) => result.invariant === 'transfers_within_one_institution')!;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource({ ...databaseOptions(database.url), logging: false }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('holds while money stays within each institution, and names a transfer from one institution to another', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    const escrowOfFirst = await dataSource.transaction((manager) => ledger.openEscrowAccount(manager, first, randomUUID()));
    const escrowOfSecond = await dataSource.transaction((manager) => ledger.openEscrowAccount(manager, second, randomUUID()));
    const pay = (debitAccountId: string, creditAccountId: string, id = randomUUID()) =>
      dataSource.transaction((manager) => ledger.apply(manager, [{ id, kind: 'posted', code: 'payment', debitAccountId, creditAccountId, amount: 100 }]));
    await pay(LedgerService.institutionAccountId(first, 'custody'), escrowOfFirst);
    await pay(LedgerService.institutionAccountId(second, 'custody'), escrowOfSecond);
    expect(await crossing()).toMatchObject({ ok: true, figures: { crossing: 0 } });

    const wrong = randomUUID();
    await pay(LedgerService.institutionAccountId(first, 'custody'), escrowOfSecond, wrong);
    expect(await crossing()).toMatchObject({ ok: false, figures: { crossing: 1, transfers: [wrong] } });
  });
});
