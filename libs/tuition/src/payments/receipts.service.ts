import { Injectable } from '@nestjs/common';
import {
  AuditService,
  Clock,
  Db,
  DomainError,
  OutboxService,
  Principal,
  canSeeDistrict,
  conflict,
  nameBasedUuid,
  onOwnConnection,
  transitionOrThrow,
} from '@app/core';
import { LedgerService, TransferRequest } from '@app/ledger';
import { EnrolmentService } from '@app/registry';
import { DataSource } from 'typeorm';
import { PayoutInstructionsRepository } from '../bank/payout-instructions.repository';
import { ContractsRepository } from '../contracts/contracts.repository';
import { accountsOf, escrowOf } from '../tuition-accounts';
import { PAYMENT_ORDER_TRANSITIONS } from './payment-order-transitions';
import { PaymentOfContract, PaymentsRepository } from './payments.repository';

/** The bank's word that money came in: the order's reference, the amount, its own reference and when. */
export interface Receipt {
  reference: string;
  amountFen: number;
  /** The bank's reference of the transfer; a statement line carries none of its own. */
  bankRef: string | null;
  receivedAt: Date;
}

export interface ReceiptOutcome {
  paymentId: string;
  /** confirmed: in escrow; refunded: the money arrived for an expired order or an institution not in good standing, and goes back. */
  status: 'confirmed' | 'refunded';
}

/**
 * Why money that arrived goes straight back to the payer instead of into escrow. `exceeds_contract`:
 * the money was received in time (a statement line is dated the day it came in, a receipt may arrive
 * late) for an order the clock had already expired, and the parent paid the rest by a newer order
 * meanwhile; escrow never holds more than the contract's price.
 */
type ReturnReason = 'order_expired' | 'institution_not_in_good_standing' | 'contract_closed' | 'exceeds_contract';

/**
 * Escrow is credited only here, from the bank (docs/domain.md, “Escrow ledger”): its receipt through the API, a statement
 * line `in` carrying the order's reference, or the sandbox bank of `npm start` through the same path.
 * Once per reference, whichever channel comes first; the other is matched to it. Money is real once the
 * bank has it: money for an expired order, a closed contract, an institution not in good standing or more
 * than the contract has left to pay is taken into escrow and refunded to the payer in the same
 * transaction, so custody always equals the bank.
 */
@Injectable()
export class ReceiptsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly contracts: ContractsRepository,
    private readonly payouts: PayoutInstructionsRepository,
    private readonly ledger: LedgerService,
    private readonly enrolment: EnrolmentService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /**
   * A receipt from the bank's API. An unknown reference (or one outside the bank's districts) and an
   * amount other than the order's are refused with their codes and move no money; each raises an alert
   * for the district's regulators. The same bank reference again answers as the first time.
   */
  async receive(bank: Principal, receipt: Receipt): Promise<ReceiptOutcome> {
    const payment = await this.payments.byReference(this.dataSource.manager, receipt.reference);
    if (!payment || !canSeeDistrict(bank, payment.districtCode)) {
      throw await this.refuse(bank, receipt, 'BANK.UNKNOWN_REFERENCE', `No payment order with reference ${receipt.reference} in the bank's districts.`);
    }
    if (receipt.bankRef) {
      const prior = await this.payments.byBankRef(this.dataSource.manager, bank.id, receipt.bankRef);
      if (prior && prior.id !== payment.id) {
        throw conflict('BANK.RECEIPT_CONFLICT', `Bank reference ${receipt.bankRef} was already used for another payment order.`, {
          reference: prior.reference,
        });
      }
    }
    if (receipt.amountFen !== payment.amountFen) {
      throw await this.refuse(
        bank,
        receipt,
        'BANK.AMOUNT_MISMATCH',
        `The order ${receipt.reference} is for ${payment.amountFen} fen, not ${receipt.amountFen}.`,
        {
          expectedFen: payment.amountFen,
        },
      );
    }
    try {
      return await this.dataSource.transaction((manager) => this.take(manager, bank, payment, receipt));
    } catch (error) {
      // Two orders receipted at once under one bank reference: the unique index lets one through.
      if ((error as { driverError?: { constraint?: string } }).driverError?.constraint === 'UQ_PAYMENTS_BANK_REF') {
        throw conflict('BANK.RECEIPT_CONFLICT', `Bank reference ${receipt.bankRef} was already used for another payment order.`);
      }
      throw error;
    }
  }

  /**
   * Statement lines `in` that carry an order's reference and its exact amount confirm that order, as
   * the API receipt would; anything else is left to reconciliation (which alerts on what nothing explains).
   */
  async receiveFromStatement(bank: Principal, lines: Array<{ date: string; amountFen: number; direction: 'in' | 'out'; reference: string }>): Promise<number> {
    let confirmed = 0;
    for (const line of lines.filter((candidate) => candidate.direction === 'in')) {
      const payment = await this.payments.byReference(this.dataSource.manager, line.reference);
      if (!payment || payment.amountFen !== line.amountFen || !canSeeDistrict(bank, payment.districtCode)) continue;
      if (payment.status === 'confirmed' || payment.status === 'refunded') continue; // received already: reconciliation matches the line
      const receipt = { reference: line.reference, amountFen: line.amountFen, bankRef: null, receivedAt: new Date(`${line.date}T00:00:00+08:00`) };
      const outcome = await this.dataSource.transaction((manager) => this.take(manager, bank, payment, receipt));
      if (outcome.status === 'confirmed') confirmed += 1;
    }
    return confirmed;
  }

  /** Takes the money of one order, in one transaction: locks, then escrow credited (and returned if it must be). */
  private async take(db: Db, bank: Principal, found: PaymentOfContract, receipt: Receipt): Promise<ReceiptOutcome> {
    // Lock order: institution, contract, payment, then the ledger's accounts.
    const standing = await this.enrolment.lockStanding(db, found.institutionId);
    const [contract] = await this.contracts.lock(db, [found.contractId]);
    const payment = (await this.payments.lock(db, found.id))!;
    if (payment.status === 'confirmed' || payment.status === 'refunded') {
      if (receipt.bankRef && payment.bankRef && payment.bankRef !== receipt.bankRef) {
        throw conflict('BANK.ALREADY_RECEIVED', `The money of order ${payment.reference} was already received under bank reference ${payment.bankRef}.`, {
          bankRef: payment.bankRef,
        });
      }
      if (receipt.bankRef && payment.bankRef === receipt.bankRef && payment.receivedAt?.getTime() !== receipt.receivedAt.getTime()) {
        throw conflict('BANK.RECEIPT_CONFLICT', `Bank reference ${receipt.bankRef} was already received with other details.`, { reference: payment.reference });
      }
      if (receipt.bankRef) await this.payments.matchBankRef(db, payment.id, bank.id, receipt.bankRef);
      return { paymentId: payment.id, status: payment.status };
    }
    const returned: ReturnReason | null =
      receipt.receivedAt > payment.expiresAt
        ? 'order_expired'
        : !this.enrolment.inGoodStanding(standing)
          ? 'institution_not_in_good_standing'
          : contract.status !== 'awaiting_payment' && contract.status !== 'active'
            ? 'contract_closed'
            : contract.paidFen + payment.amountFen > contract.totalFen
              ? 'exceeds_contract'
              : null;
    const accounts = accountsOf(found.institutionId);
    const transfers: TransferRequest[] = [
      {
        id: payment.id,
        kind: 'posted',
        code: 'payment',
        debitAccountId: accounts.custody,
        creditAccountId: escrowOf(found.contractId),
        amount: payment.amountFen,
        contractId: found.contractId,
        referenceId: payment.id,
      },
    ];
    if (returned) {
      transfers.push({
        id: nameBasedUuid('payment-returned', payment.id),
        kind: 'posted',
        code: 'payment_returned',
        debitAccountId: escrowOf(found.contractId),
        creditAccountId: accounts.refunds,
        amount: payment.amountFen,
        contractId: found.contractId,
        referenceId: payment.id,
      });
    }
    await this.ledger.apply(db, transfers);
    const status = transitionOrThrow(PAYMENT_ORDER_TRANSITIONS, returned ? 'receive_and_return' : 'receive', payment.status, 'bank', {
      code: 'PAYMENT.NOT_RECEIVABLE',
      subject: 'a payment order',
    }) as ReceiptOutcome['status'];
    await this.payments.recordReceipt(db, payment.id, {
      status,
      bankClientId: bank.id,
      bankRef: receipt.bankRef,
      receivedAt: receipt.receivedAt,
      at: this.clock.now(),
    });
    const money = {
      institutionId: found.institutionId,
      contractId: found.contractId,
      paymentId: payment.id,
      amountFen: payment.amountFen,
      parentUserId: found.parentUserId,
    };
    if (returned) {
      await this.payouts.insert(db, {
        id: nameBasedUuid('payment-returned-payout', payment.id),
        kind: 'parent_refund',
        institutionId: found.institutionId,
        districtCode: found.districtCode,
        contractId: found.contractId,
        amountFen: payment.amountFen,
        createdAt: this.clock.now(),
      });
      await this.outbox.add(db, 'payment.returned', { ...money, reason: returned });
    } else {
      await this.contracts.addPaid(db, found.contractId, payment.amountFen);
      await this.outbox.add(db, 'payment.received', money);
    }
    await this.audit.record(db, {
      action: returned ? 'payment.returned' : 'payment.received',
      targetType: 'contract',
      targetId: found.contractId,
      reason: returned,
      districtCode: found.districtCode,
      actor: { id: bank.id, role: 'bank' },
      details: { paymentId: payment.id, reference: payment.reference, amountFen: payment.amountFen, bankRef: receipt.bankRef },
    });
    return { paymentId: payment.id, status };
  }

  /** Records the refusal for the regulators (an event, committed on its own) and answers the 422 to throw. */
  private async refuse(bank: Principal, receipt: Receipt, code: string, detail: string, extras: Record<string, unknown> = {}): Promise<DomainError> {
    await onOwnConnection(this.dataSource, (db) =>
      this.outbox.add(db, 'bank.receipt_refused', {
        districtCode: bank.districtCode ?? '',
        bankClientId: bank.id,
        code,
        reference: receipt.reference,
        bankRef: receipt.bankRef ?? '',
        amountFen: receipt.amountFen,
      }),
    );
    return new DomainError(422, code, detail, { reference: receipt.reference, ...extras });
  }
}
