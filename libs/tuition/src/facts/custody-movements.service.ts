import { Injectable } from '@nestjs/common';
import { Db } from '@app/core';
import { DataSource } from 'typeorm';
import { CustodyMovementsRepository, PaymentMovementRow, PayoutMovementRow } from './custody-movements.repository';

export type PaymentMovement = PaymentMovementRow;
export type PayoutMovement = PayoutMovementRow;

/** Payments and payouts read a page at a time: the whole history does not have to fit in memory. */
const PAGE = 5000;

/**
 * The money tuition moves through the supervising bank's custody account, for reconciling it with the
 * bank's statement (docs/architecture.md, "Cross-lib reads"). Reads run on the caller's connection, so
 * a reconciliation sees one transaction's view.
 */
@Injectable()
export class CustodyMovementsService {
  constructor(
    private readonly movements: CustodyMovementsRepository,
    private readonly dataSource: DataSource,
  ) {}

  /** Ids of every payment and payout instruction of each institution. */
  async idsOf(institutionIds: string[]): Promise<Map<string, string[]>> {
    const found = institutionIds.length ? await this.movements.idsOf(this.dataSource.manager, institutionIds) : [];
    const ids = new Map(found.map((row) => [row.institutionId, row.ids]));
    return new Map(institutionIds.map((id) => [id, ids.get(id) ?? []]));
  }

  /** Payments whose channel reference is one of `references`, in id order. */
  paymentsByReference(db: Db, references: string[]): Promise<PaymentMovement[]> {
    return references.length ? this.movements.paymentsByReference(db, references) : Promise.resolve([]);
  }

  /** Executed payouts whose bank reference is one of `references`, in id order. */
  executedPayoutsByReference(db: Db, references: string[]): Promise<PayoutMovement[]> {
    return references.length ? this.movements.executedPayoutsByReference(db, references) : Promise.resolve([]);
  }

  /** Hands `each` the payments received before `before` in districts matching `districtPatterns` (LIKE), a page at a time. */
  async forEachPaymentBefore(db: Db, before: Date, districtPatterns: string[], each: (page: PaymentMovement[]) => Promise<void>): Promise<void> {
    if (districtPatterns.length) await inPages((afterId) => this.movements.paymentsBefore(db, { before, districtPatterns, afterId, limit: PAGE }), each);
  }

  /** Hands `each` the payouts executed before `before`, a page at a time. */
  forEachExecutedPayoutBefore(db: Db, before: Date, each: (page: PayoutMovement[]) => Promise<void>): Promise<void> {
    return inPages((afterId) => this.movements.executedPayoutsBefore(db, { before, afterId, limit: PAGE }), each);
  }
}

/** Reads pages in id order (each after the last id of the one before) until a short one. */
async function inPages<T extends { id: string }>(read: (afterId: string | null) => Promise<T[]>, each: (page: T[]) => Promise<void>): Promise<void> {
  for (let afterId: string | null = null; ;) {
    const page = await read(afterId);
    if (page.length) await each(page);
    if (page.length < PAGE) return;
    afterId = page[page.length - 1].id;
  }
}
