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
export function jobsForEvent(event: DomainEvent): JobRequest[] {
  const jobs = [jobRequest('notifications', 'notify', { eventId: event.id, eventType: event.type, payload: event.payload }, event.id)];
  const { institutionId, action } = event.payload;
  // A revoked or closed institution's contracts are refunded automatically (DESIGN §5).
  if (event.type === 'licence.changed' && (action === 'revoke' || action === 'close') && typeof institutionId === 'string') {
    jobs.push(jobRequest('settlement', 'refund-institution', { institutionId }, `refund-${event.id}`));
  }
  return jobs;
}
