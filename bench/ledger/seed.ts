import { Principal, nameBasedUuid } from '@app/core';
import { LedgerService } from '@app/ledger';
import { ReceiptsService } from '@app/tuition';
import { DataSource } from 'typeorm';

/**
 * The world of bench/ledger, built in bulk: one district, `institutions` licensed institutions (each
 * with its own owner and one non-subject course), and per institution a class of `classSize` pupils,
 * each pupil a parent with one active contract of `lessonsPerContract` lessons, paid in full.
 *
 * Users, institutions, courses, contracts and escrow accounts go in with multi-row INSERTs (the same
 * rows ContractsService.create makes); each contract is paid by a payment order and the bank's receipt
 * for it (ReceiptsService.receive), so every balance column is made by the ledger itself, custody is
 * backed by receipts, and the invariant check after the setup proves the data consistent.
 */
export interface World {
  districtCode: string;
  regulatorId: string;
  institutions: Array<{ id: string; ownerId: string; courseId: string; contractIds: string[] }>;
  contracts: number;
  lessonPriceFen: number;
  lessonsPerContract: number;
}

export interface WorldShape {
  districtCode: string;
  institutions: number;
  classSize: number;
  lessonsPerContract: number;
  lessonPriceFen: number;
  startDate: string;
  endDate: string;
}

const CHUNK = 5_000;
/** Concurrent loops sending the bank's receipts while the world is built. */
const RECEIPT_LOOPS = 16;

const id = (...parts: Array<string | number>) => nameBasedUuid('bench-ledger', ...parts);

async function inChunks<T>(rows: T[], work: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let from = 0; from < rows.length; from += CHUNK) await work(rows.slice(from, from + CHUNK));
}

/** The bank the seed's money comes from: its client (a principal of role bank) and the receipt path. */
export interface SeedBank {
  principal: Principal;
  receipts: ReceiptsService;
}

export async function buildWorld(dataSource: DataSource, ledger: LedgerService, bank: SeedBank, shape: WorldShape): Promise<World> {
  const regulatorId = id('regulator');
  const institutions = Array.from({ length: shape.institutions }, (_, i) => ({
    id: id('institution', i),
    ownerId: id('owner', i),
    courseId: id('course', i),
    contractIds: Array.from({ length: shape.classSize }, (_, p) => id('contract', i, p)),
  }));
  const contracts = institutions.flatMap((institution, i) =>
    institution.contractIds.map((contractId, p) => ({ id: contractId, parentId: id('parent', i, p), institution })),
  );

  // People: one regulator, one owner per institution, one parent per contract. No one logs in, so no
  // password hash is needed ('!' matches no password).
  const users = [
    { id: regulatorId, username: 'bench-regulator', role: 'regulator', districtCode: shape.districtCode },
    ...institutions.map((institution, i) => ({ id: institution.ownerId, username: `bench-owner-${i}`, role: 'institution', districtCode: null })),
    ...contracts.map((contract, n) => ({ id: contract.parentId, username: `1${String(3_900_000_000 + n)}`, role: 'parent', districtCode: null })),
  ];
  await inChunks(users, (chunk) =>
    dataSource.query(
      `INSERT INTO users (id, username, password_hash, role, name, district_code, created_at)
       SELECT id, username, '!', role, '基准用户', district, now() FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS u(id, username, role, district)`,
      [chunk.map((u) => u.id), chunk.map((u) => u.username), chunk.map((u) => u.role), chunk.map((u) => u.districtCode)],
    ),
  );

  await inChunks(
    institutions.map((institution, i) => ({ ...institution, i })),
    (chunk) =>
      dataSource.query(
        `INSERT INTO institutions (id, owner_user_id, name, uscc, district_code, address, category, delivery, legal_representative, premises_area_m2,
                                   capacity, phone, status, licence_number, licence_valid_from, licence_valid_until, created_at, updated_at)
         SELECT id, owner, '基准培训学校' || n, 'BENCH' || lpad(n::text, 13, '0'), $4, '岳麓区基准路' || n || '号', 'non_subject', 'offline', '张三', 300,
                200, '13800000000', 'licensed', 'BENCH-L-' || n, $5::date - 30, $5::date + 1000, now(), now()
         FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS x(id, owner, n)`,
        [chunk.map((x) => x.id), chunk.map((x) => x.ownerId), chunk.map((x) => x.i), shape.districtCode, shape.startDate],
      ),
  );
  await dataSource.query(
    `INSERT INTO courses (id, institution_id, name, subject, category, size_band, lesson_minutes, lesson_price_fen, created_at)
     SELECT id, institution, '美术', '美术', 'non_subject', '10-35', 45, $3, now() FROM unnest($1::uuid[], $2::uuid[]) AS x(id, institution)`,
    [institutions.map((x) => x.courseId), institutions.map((x) => x.id), shape.lessonPriceFen],
  );

  // Each institution's custody, payable, reserve and refunds accounts, as LedgerService.openInstitutionAccounts opens them.
  for (const institution of institutions) await ledger.openInstitutionAccounts(dataSource.manager, institution.id);

  const totalFen = shape.lessonPriceFen * shape.lessonsPerContract;
  await inChunks(contracts, async (chunk) => {
    await dataSource.query(
      `INSERT INTO contracts (id, parent_user_id, institution_id, course_id, district_code, student_name, lessons, lesson_price_fen, total_fen, start_date, end_date, status, created_at)
       SELECT id, parent, institution, course, $4, '王小明', $5, $6, $7, $8, $9, 'awaiting_payment', now()
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $10::uuid[]) AS x(id, parent, institution, course)`,
      [
        chunk.map((c) => c.id),
        chunk.map((c) => c.parentId),
        chunk.map((c) => c.institution.id),
        shape.districtCode,
        shape.lessonsPerContract,
        shape.lessonPriceFen,
        totalFen,
        shape.startDate,
        shape.endDate,
        chunk.map((c) => c.institution.courseId),
      ],
    );
    // The escrow accounts, as LedgerService.openEscrowAccount opens them.
    await dataSource.query(
      `INSERT INTO ledger_accounts (id, code, institution_id, contract_id, debits_must_not_exceed_credits, credits_must_not_exceed_debits, created_at)
       SELECT id, 'escrow', institution, contract, true, false, now() FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS a(id, institution, contract)`,
      [chunk.map((c) => LedgerService.escrowAccountId(c.id)), chunk.map((c) => c.institution.id), chunk.map((c) => c.id)],
    );
  });

  // Payments in full, as escrow takes money (docs/architecture.md, "Money from the bank"): a payment
  // order per contract, bulk-inserted as PaymentOrdersService.open makes them (pending, a reference, an
  // expiry a day on), then the bank's receipt for each through ReceiptsService.receive, from
  // RECEIPT_LOOPS loops at once: the ledger's payment transfer, paid_fen and the custody invariant
  // (custody_backed_by_receipts) all come from the one path the platform believes.
  const orders = contracts.map((c, n) => ({ id: nameBasedUuid('payment', c.parentId, `bench-pay-${c.id}`), contractId: c.id, reference: `POBENCH${n}` }));
  await inChunks(orders, (chunk) =>
    dataSource.query(
      `INSERT INTO payments (id, contract_id, reference, amount_fen, channel, status, expires_at, created_at)
       SELECT id, contract, reference, $4, 'bank_transfer', 'pending', now() + interval '1 day', now()
       FROM unnest($1::uuid[], $2::uuid[], $3::text[]) AS p(id, contract, reference)`,
      [chunk.map((o) => o.id), chunk.map((o) => o.contractId), chunk.map((o) => o.reference), totalFen],
    ),
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: RECEIPT_LOOPS }, async () => {
      for (let n = next++; n < orders.length; n = next++) {
        const order = orders[n];
        await bank.receipts.receive(bank.principal, {
          reference: order.reference,
          amountFen: totalFen,
          bankRef: `BENCH-${order.reference}`,
          receivedAt: new Date(),
        });
      }
    }),
  );
  await dataSource.query('VACUUM (ANALYZE)');
  return {
    districtCode: shape.districtCode,
    regulatorId,
    institutions,
    contracts: contracts.length,
    lessonPriceFen: shape.lessonPriceFen,
    lessonsPerContract: shape.lessonsPerContract,
  };
}
