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
  return [jobRequest('notifications', 'notify', { eventId: event.id, eventType: event.type, payload: event.payload }, event.id)];
}
