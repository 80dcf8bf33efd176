import type { Role } from '../auth/principal';

/**
 * Every domain event the platform writes to the outbox, and its payload (docs/architecture.md, "Writes,
 * audit and events"): the name fixes the payload, so the compiler checks each `OutboxService.add` and
 * each route in libs/jobs. Payloads carry ids and small facts, never personal data. An event whose payload
 * has `institutionId` asks for that institution's risk evaluation.
 */
export interface DomainEventPayloads {
  'account.created': { userId: string; role: Role };
  'licence.changed': { institutionId: string; action: string; from: string; to: string };
  /** A parent opened a payment order: nothing is in escrow until the bank confirms it. */
  'payment.ordered': { institutionId: string; contractId: string; paymentId: string; amountFen: number };
  /** The bank confirmed the money of an order: escrow credited. */
  'payment.received': { institutionId: string; contractId: string; paymentId: string; amountFen: number; parentUserId: string };
  /** The money arrived for an expired order or an institution not in good standing, and went back at once. */
  'payment.returned': { institutionId: string; contractId: string; paymentId: string; amountFen: number; parentUserId: string; reason: string };
  /** A bank receipt the platform could not take (unknown reference, other amount): for the regulators. */
  'bank.receipt_refused': { districtCode: string; bankClientId: string; code: string; reference: string; bankRef: string; amountFen: number };
  'lesson.recorded': { institutionId: string; lessonId: string; pupils: number; totalFen: number };
  'lesson.disputed': { institutionId: string; consumptionId: string };
  'lesson.confirmed': { institutionId: string; consumptionId: string };
  'lesson.voided': { institutionId: string; consumptionId: string };
  'refund.requested': { institutionId: string; contractId: string; refundRequestId: string };
  'refund.rejected': { institutionId: string; contractId: string; refundRequestId: string; reason: string };
  'refund.accepted': { institutionId: string; contractId: string; refundRequestId: string; amountFen: number };
  /** A regulator ordered a refund, clawing confirmed lessons back from the institution if it said so. */
  'refund.ordered': { institutionId: string; contractId: string; refundRequestId: string; amountFen: number; clawbackFen: number; parentUserId: string };
  /** The refund sweep could not refund a contract of a revoked institution; the others went on. */
  'refund.sweep_failed': { institutionId: string; contractId: string; districtCode: string; error: string };
  /** A payout instruction cancelled on revocation or closure: its money is back in payable. */
  'payout.cancelled': { institutionId: string; payoutId: string; amountFen: number };
  /** A regulator released a revoked or closed institution's remaining money, every contract being refunded. */
  'reserve.released': { institutionId: string; payoutId: string; amountFen: number };
  'settlement.made': { institutionId: string; settlementId: string; payoutFen: number; retainedFen: number; releasedFen: number };
  /** `subjectInstitutionId`, not `institutionId`: a red level must not ask for another evaluation of itself. */
  'risk.red': { alertId: string; districtCode: string; ruleCode: string; subjectInstitutionId: string };
  'reconciliation.alert': { alertId: string; districtCode: string; ruleCode: string };
  'bank.statement_received': { bankClientId: string; lines: number };
  /** A complaint about a name not in the register has no institution. */
  'complaint.filed': { complaintId: string; institutionId?: string; districtCode: string; category: string };
  'complaint.updated': { complaintId: string; institutionId?: string; status: string };
  'report.filed': { institutionId: string; reportId: string; month: string; late: boolean };
  'report.reviewed': { institutionId: string; reportId: string; month: string; decision: string };
  'report.overdue': { institutionId: string; reportId: string; month: string };
}

export type DomainEventType = keyof DomainEventPayloads;

/** An event as the outbox holds it: a discriminated union, so `event.type` narrows `event.payload`. */
export type DomainEvent = { [T in DomainEventType]: { id: string; type: T; payload: DomainEventPayloads[T] } }[DomainEventType];
