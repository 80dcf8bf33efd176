import type { DomainEvent } from '@app/core';

/**
 * The one contract between producers and processors (docs/domain.md, “Jobs and the outbox”): every queue, the jobs it carries and
 * their payloads. Enqueue only through these types.
 */
export const QUEUE_NAMES = [
  'licences',
  'risk',
  'settlement',
  'confirmations',
  'reduction',
  'reports',
  'reconciliation',
  'notifications',
  'bank',
  'maintenance',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  licences: { 'expire-due': Record<string, never> };
  risk: {
    evaluate: { institutionId: string; reason: string };
    'full-scan': Record<string, never>;
    'refund-rejected': { refundRequestId: string; reason: string };
  };
  settlement: {
    'run-due-cycles': { businessDate?: string };
    'refund-institution': { institutionId: string };
    /** Every contract of an institution whose licence ended, refunded; pending payouts of revoked or closed ones cancelled. */
    'refund-sweep': Record<string, never>;
  };
  confirmations: { 'sweep-due': Record<string, never> };
  reduction: { 'daily-snapshot': { businessDate?: string } };
  reports: { 'mark-overdue': { businessDate?: string } };
  reconciliation: {
    reconcile: Record<string, never>;
    /** An alert about money refused or not moved, raised once per finding. */
    'raise-alert': {
      districtCode: string;
      institutionId: string | null;
      kind: 'reconciliation' | 'money';
      ruleCode: string;
      evidence: Record<string, unknown>;
      dedupeKey: string;
    };
  };
  /** The sandbox bank of npm start confirms the orders waiting for it (registered only when SANDBOX_BANK is on). */
  bank: { 'sandbox-confirm': Record<string, never> };
  /** Retention (docs/architecture.md, "Faults"): Idempotency-Keys after 30 days, relayed outbox events after 7. */
  maintenance: { 'purge-idempotency-keys': Record<string, never>; 'purge-sent-outbox': Record<string, never> };
  /** The outbox event itself: its type fixes its payload. */
  notifications: { notify: DomainEvent };
}

export type JobName<Q extends QueueName> = keyof JobPayloads[Q] & string;
export type JobData<Q extends QueueName, N extends JobName<Q>> = JobPayloads[Q][N];

/** A job ready to enqueue: jobId is the dedup key (an outbox event id, or a debounce key). */
export type JobRequest = {
  [Q in QueueName]: { [N in JobName<Q>]: { queue: Q; name: N; data: JobData<Q, N>; jobId: string; debounceMs?: number } }[JobName<Q>];
}[QueueName];

/**
 * `debounceMs`: the job waits that long and is removed once done, so while it waits every further
 * request with the same job id in the same debounce window is absorbed into it (see enqueuedJobId).
 */
export function jobRequest<Q extends QueueName, N extends JobName<Q>>(queue: Q, name: N, data: JobData<Q, N>, jobId: string, debounceMs?: number): JobRequest {
  return { queue, name, data, jobId, debounceMs } as JobRequest;
}

/**
 * The id a job is enqueued under. A debounced job's id carries its debounce window (now ÷ debounceMs):
 * requests within one window are absorbed into one job, which waits a whole window and so starts only
 * after every request it absorbed; a request in a later window gets a job of its own even while the
 * previous one runs. (With the bare id, BullMQ ignored a request arriving while the job was running,
 * whose facts that run might not have read: the change waited for the nightly scan.)
 */
export function enqueuedJobId(job: JobRequest, now: number): string {
  return job.debounceMs ? `${job.jobId}@${Math.floor(now / job.debounceMs)}` : job.jobId;
}
