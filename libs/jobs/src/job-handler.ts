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

/** The jobs something enqueues today; the worker refuses to start if one has no handler, or two. */
export const REQUIRED_JOBS: ReadonlyArray<readonly [QueueName, string]> = [
  ['notifications', 'notify'],
  ['licences', 'expire-due'],
  ['confirmations', 'sweep-due'],
  ['settlement', 'run-due-cycles'],
  ['settlement', 'refund-institution'],
  ['risk', 'evaluate'],
  ['risk', 'full-scan'],
  ['risk', 'refund-rejected'],
  ['reconciliation', 'reconcile'],
  ['reports', 'mark-overdue'],
  ['reduction', 'daily-snapshot'],
];

/** Periodic jobs: cron patterns in Asia/Shanghai, registered by id so any number of workers make each once. */
export const JOB_SCHEDULES: ReadonlyArray<{ id: string; queue: QueueName; job: string; pattern: string }> = [
  { id: 'licences-expire-due', queue: 'licences', job: 'expire-due', pattern: '5 0 * * *' },
  { id: 'confirmations-sweep', queue: 'confirmations', job: 'sweep-due', pattern: '*/10 * * * *' },
  { id: 'settlement-daily', queue: 'settlement', job: 'run-due-cycles', pattern: '0 2 * * *' },
  { id: 'risk-nightly-scan', queue: 'risk', job: 'full-scan', pattern: '0 3 * * *' },
  { id: 'reconciliation-hourly', queue: 'reconciliation', job: 'reconcile', pattern: '15 * * * *' },
  { id: 'reports-mark-overdue', queue: 'reports', job: 'mark-overdue', pattern: '30 0 * * *' },
  { id: 'reduction-daily-snapshot', queue: 'reduction', job: 'daily-snapshot', pattern: '45 0 * * *' },
];
