import type { DomainEvent } from '@app/core';
import { JobRequest, jobRequest } from './queues';

/**
 * Which jobs an outbox event becomes. The event id is the job id, so a relay that crashes after
 * enqueuing and before marking the event sent enqueues nothing new the second time.
 */
const RISK_DEBOUNCE_MS = 2000;

export function jobsForEvent(event: DomainEvent): JobRequest[] {
  const jobs = [jobRequest('notifications', 'notify', event, event.id)];
  // Anything that changes an institution's facts asks for its risk evaluation, debounced per institution.
  const institutionId = 'institutionId' in event.payload ? event.payload.institutionId : undefined;
  if (institutionId) jobs.push(jobRequest('risk', 'evaluate', { institutionId, reason: event.type }, `risk-${institutionId}`, RISK_DEBOUNCE_MS));
  switch (event.type) {
    case 'bank.statement_received':
      jobs.push(jobRequest('reconciliation', 'reconcile', {}, 'reconcile-now', RISK_DEBOUNCE_MS));
      break;
    case 'refund.rejected':
      jobs.push(
        jobRequest('risk', 'refund-rejected', { refundRequestId: event.payload.refundRequestId, reason: event.payload.reason }, `complaint-${event.id}`),
      );
      break;
    case 'bank.receipt_refused': {
      const { districtCode, bankClientId, code, reference, bankRef, amountFen } = event.payload;
      jobs.push(
        jobRequest(
          'reconciliation',
          'raise-alert',
          {
            districtCode,
            institutionId: null,
            kind: 'reconciliation',
            ruleCode: code,
            evidence: { reference, bankRef, amountFen, bankClientId },
            dedupeKey: `receipt:${bankClientId}:${bankRef}:${reference}:${code}`,
          },
          `alert-${event.id}`,
        ),
      );
      break;
    }
    case 'refund.sweep_failed': {
      const { districtCode, institutionId, contractId, error } = event.payload;
      jobs.push(
        jobRequest(
          'reconciliation',
          'raise-alert',
          {
            districtCode,
            institutionId,
            kind: 'money',
            ruleCode: 'REFUND_SWEEP_FAILED',
            evidence: { contractId, error },
            dedupeKey: `refund-sweep:${contractId}`,
          },
          `alert-${event.id}`,
        ),
      );
      break;
    }
    case 'licence.changed':
      // A revoked or closed institution's contracts are refunded automatically (docs/domain.md, “Escrow ledger”).
      if (event.payload.action === 'revoke' || event.payload.action === 'close') {
        jobs.push(jobRequest('settlement', 'refund-institution', { institutionId: event.payload.institutionId }, `refund-${event.id}`));
      }
      break;
  }
  return jobs;
}
