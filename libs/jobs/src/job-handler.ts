import type { Job } from 'bullmq';
import { JobData, JobName, QueueName } from './queues';

/**
 * A processor for one queue: a function per job name. Every handler must be safe to run twice (the
 * database decides what happened) and safe to lose (a scheduler or the outbox brings the work back).
 */
export interface JobHandler<Q extends QueueName = QueueName> {
  readonly queue: Q;
  readonly handlers: { [N in JobName<Q>]?: (data: JobData<Q, N>, job: Job) => Promise<unknown> };
}

/** A job of a queue, by name: the pair the compiler checks against JobPayloads. */
export type JobRef = { [Q in QueueName]: readonly [Q, JobName<Q>] }[QueueName];

/** Every job of every queue; the compiler refuses this object if a job of JobPayloads is missing or unknown. */
const EVERY_JOB: { [Q in QueueName]: Record<JobName<Q>, true> } = {
  licences: { 'expire-due': true },
  risk: { evaluate: true, 'full-scan': true, 'refund-rejected': true },
  settlement: { 'run-due-cycles': true, 'refund-institution': true, 'refund-sweep': true },
  confirmations: { 'sweep-due': true },
  reduction: { 'daily-snapshot': true },
  reports: { 'mark-overdue': true },
  reconciliation: { reconcile: true, 'raise-alert': true },
  notifications: { notify: true },
  bank: { 'sandbox-confirm': true },
  maintenance: { 'purge-idempotency-keys': true, 'purge-sent-outbox': true },
};

/** Every job can be enqueued, so each needs a handler: the worker refuses to start if one has none, or two. */
export const REQUIRED_JOBS: readonly JobRef[] = Object.entries(EVERY_JOB).flatMap(([queue, jobs]) =>
  Object.keys(jobs).map((job) => [queue, job] as unknown as JobRef),
);

/** A periodic job: a cron pattern in Asia/Shanghai, registered by id so any number of workers make each once. */
export type JobSchedule = { [Q in QueueName]: { id: string; queue: Q; job: JobName<Q>; pattern: string } }[QueueName];

export const JOB_SCHEDULES: readonly JobSchedule[] = [
  { id: 'licences-expire-due', queue: 'licences', job: 'expire-due', pattern: '5 0 * * *' },
  { id: 'confirmations-sweep', queue: 'confirmations', job: 'sweep-due', pattern: '*/10 * * * *' },
  { id: 'settlement-daily', queue: 'settlement', job: 'run-due-cycles', pattern: '0 2 * * *' },
  { id: 'refund-sweep', queue: 'settlement', job: 'refund-sweep', pattern: '*/10 * * * *' },
  { id: 'risk-nightly-scan', queue: 'risk', job: 'full-scan', pattern: '0 3 * * *' },
  { id: 'reconciliation-hourly', queue: 'reconciliation', job: 'reconcile', pattern: '15 * * * *' },
  { id: 'reports-mark-overdue', queue: 'reports', job: 'mark-overdue', pattern: '30 0 * * *' },
  { id: 'reduction-daily-snapshot', queue: 'reduction', job: 'daily-snapshot', pattern: '45 0 * * *' },
  { id: 'purge-idempotency-keys', queue: 'maintenance', job: 'purge-idempotency-keys', pattern: '10 4 * * *' },
  { id: 'purge-sent-outbox', queue: 'maintenance', job: 'purge-sent-outbox', pattern: '20 4 * * *' },
];
