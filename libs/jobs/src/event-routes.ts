import { JobRequest, jobRequest } from './queues';

export interface DomainEvent {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

/**
 * Which jobs an outbox event becomes. The event id is the job id, so a relay that crashes after
 * enqueuing and before marking the event sent enqueues nothing new the second time.
 */
const RISK_DEBOUNCE_MS = 2000;

export function jobsForEvent(event: DomainEvent): JobRequest[] {
  const jobs = [jobRequest('notifications', 'notify', { eventId: event.id, eventType: event.type, payload: event.payload }, event.id)];
  const { institutionId, action } = event.payload;
  // Anything that changes an institution's facts asks for its risk evaluation, debounced per institution.
  if (typeof institutionId === 'string')
    jobs.push(jobRequest('risk', 'evaluate', { institutionId, reason: event.type }, `risk-${institutionId}`, RISK_DEBOUNCE_MS));
  if (event.type === 'bank.statement_received') jobs.push(jobRequest('reconciliation', 'reconcile', {}, 'reconcile-now', RISK_DEBOUNCE_MS));
  if (event.type === 'refund.rejected' && typeof event.payload.refundRequestId === 'string') {
    jobs.push(
      jobRequest(
        'risk',
        'refund-rejected',
        { refundRequestId: event.payload.refundRequestId, reason: String(event.payload.reason ?? '') },
        `complaint-${event.id}`,
      ),
    );
  }
  // A revoked or closed institution's contracts are refunded automatically (DESIGN §5).
  if (event.type === 'licence.changed' && (action === 'revoke' || action === 'close') && typeof institutionId === 'string') {
    jobs.push(jobRequest('settlement', 'refund-institution', { institutionId }, `refund-${event.id}`));
  }
  return jobs;
}
