import { Injectable } from '@nestjs/common';
import { AuditService, Clock, OutboxService, Principal, nameBasedUuid } from '@app/core';
import { EnrolmentService } from '@app/registry';
import { DataSource } from 'typeorm';
import { ContractsService } from '../contracts/contracts.service';
import { TuitionErrors } from '../tuition.errors';
import { paymentReference } from './payment-reference';
import { PaymentChannel, PaymentRow, PaymentsRepository } from './payments.repository';

/** How long an order waits for the bank before it expires (docs/domain.md, “Escrow ledger”). */
const ORDER_LIFETIME_MS = 24 * 60 * 60 * 1000;

/**
 * A parent's payment is an order (docs/domain.md, “Escrow ledger”): a reference to write on the transfer and an expiry. It
 * moves no money; escrow is credited only when the bank confirms the money (ReceiptsService).
 */
@Injectable()
export class PaymentOrdersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly contracts: ContractsService,
    private readonly enrolment: EnrolmentService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens an order for (part of) what is left to pay: the contract's price less the confirmed money and
   * the orders still open. The order id derives from the request's Idempotency-Key, so a retry answers
   * the same order. Only an institution on the white list takes payments.
   */
  async open(parent: Principal, contractId: string, order: { amountFen: number; channel: PaymentChannel }, operationKey: string): Promise<PaymentRow> {
    const id = nameBasedUuid('payment', parent.id, operationKey);
    return this.dataSource.transaction(async (manager) => {
      const existing = await this.payments.find(manager, id);
      if (existing) return existing;
      const contract = await this.contracts.lockContract(manager, contractId, parent);
      const [standing] = await this.enrolment.standing(manager, [contract.institutionId]);
      this.enrolment.assertEnrolling(standing);
      if (contract.status !== 'awaiting_payment' && contract.status !== 'active') throw TuitionErrors.notActive(contract.status);
      const now = this.clock.now();
      const remaining = contract.totalFen - contract.paidFen - (await this.payments.openTotal(manager, contractId, now));
      if (order.amountFen > remaining) throw TuitionErrors.overpayment(remaining);
      const row = {
        id,
        contractId,
        reference: paymentReference(id),
        amountFen: order.amountFen,
        channel: order.channel,
        expiresAt: new Date(now.getTime() + ORDER_LIFETIME_MS),
        createdAt: now,
      };
      await this.payments.insertOrder(manager, row);
      await this.audit.record(manager, {
        action: 'payment.ordered',
        targetType: 'contract',
        targetId: contractId,
        districtCode: contract.districtCode,
        details: { paymentId: id, reference: row.reference, amountFen: order.amountFen, channel: order.channel },
      });
      await this.outbox.add(manager, 'payment.ordered', { institutionId: contract.institutionId, contractId, paymentId: id, amountFen: order.amountFen });
      return (await this.payments.find(manager, id))!;
    });
  }

  /** Marks the orders no money came for in time (a job). Safe to run twice. */
  expireDue(): Promise<number> {
    return this.payments.expire(this.dataSource.manager, this.clock.now());
  }
}
