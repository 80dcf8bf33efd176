import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService, Clock, Principal, addDays, nameBasedUuid } from '@app/core';
import { hashPassword } from '@app/core/accounts/password';
import { LedgerService } from '@app/ledger';
import { paymentReference } from '@app/tuition/payments/payment-reference';
import { DataSource } from 'typeorm';
import { DemoSchool } from './demo-history.service';
import { BulkEnrolment, DemoEnrolmentsRepository } from './demo-enrolments.repository';
import { DEMO_CONTRACT_DAYS, DEMO_CONTRACT_LESSONS } from './demo-pupils';

/** Pupils enrolled in bulk at the demo district's subject schools over the last `BULK_DAYS` days: the report's 6,400 less the history's eight (docs/demo.md). */
export const BULK_PUPILS = 6_392;
export const BULK_DAYS = 80;

/**
 * The Yuelu report's thousands of pupils (docs/demo.md, "Reduction"): a day's share of them enrolled at
 * once, each a parent's contract paid in full by an order the sandbox bank confirmed. The rows come from
 * one bulk repository; the money moves custody → escrow through the ledger, in the same transaction, with
 * one audit entry per school and day.
 */
@Injectable()
export class DemoBulkPupilsService {
  private passwordHash?: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly enrolments: DemoEnrolmentsRepository,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Day `index` (0 … BULK_DAYS − 1) of the bulk enrolment: its share of pupils, split between the schools. */
  async enrolDay(index: number, schools: DemoSchool[], bank: Principal): Promise<void> {
    const from = Math.floor((BULK_PUPILS * index) / BULK_DAYS);
    const to = Math.floor((BULK_PUPILS * (index + 1)) / BULK_DAYS);
    // Nobody logs in as these parents: their password is a random one nobody was told.
    this.passwordHash ??= hashPassword(randomUUID());
    const passwordHash = await this.passwordHash;
    const at = this.clock.now();
    const startDate = this.clock.today();
    for (const [school, course] of schools.entries()) {
      const pupils: BulkEnrolment[] = [];
      for (let n = from; n < to; n++) {
        if (n % schools.length !== school) continue;
        const contractId = nameBasedUuid('demo-bulk-contract', String(n));
        const paymentId = nameBasedUuid('demo-bulk-payment', String(n));
        // Two children a family: pupils 2k and 2k+1 share a parent.
        const family = Math.floor(n / 2);
        pupils.push({
          parentUsername: `150${String(family).padStart(8, '0')}`,
          parentName: `家长${family + 1}`,
          contractId,
          studentName: `学生${n + 1}`,
          paymentId,
          reference: paymentReference(paymentId),
        });
      }
      if (!pupils.length) continue;
      const amount = DEMO_CONTRACT_LESSONS * course.lessonPriceFen;
      await this.dataSource.transaction(async (manager) => {
        await this.enrolments.insert(
          manager,
          {
            institutionId: course.institutionId,
            courseId: course.courseId,
            districtCode: bank.districtCode!,
            lessons: DEMO_CONTRACT_LESSONS,
            lessonPriceFen: course.lessonPriceFen,
            startDate,
            endDate: addDays(startDate, DEMO_CONTRACT_DAYS - 1),
          },
          { id: bank.id, passwordHash, at, expiresAt: new Date(at.getTime() + 24 * 3600_000) },
          pupils,
        );
        await this.ledger.openEscrowAccounts(
          manager,
          course.institutionId,
          pupils.map((pupil) => pupil.contractId),
        );
        await this.ledger.apply(
          manager,
          pupils.map((pupil) => ({
            id: pupil.paymentId,
            kind: 'posted' as const,
            code: 'payment',
            debitAccountId: LedgerService.institutionAccountId(course.institutionId, 'custody'),
            creditAccountId: LedgerService.escrowAccountId(pupil.contractId),
            amount,
            contractId: pupil.contractId,
            referenceId: pupil.paymentId,
          })),
        );
        await this.audit.record(manager, {
          action: 'payment.received',
          targetType: 'institution',
          targetId: course.institutionId,
          reason: 'demo data: bulk enrolment',
          districtCode: bank.districtCode,
          actor: { id: bank.id, role: 'bank' },
          details: { contracts: pupils.length, amountFen: amount * pupils.length, paymentIds: pupils.map((pupil) => pupil.paymentId) },
        });
      });
    }
  }
}
