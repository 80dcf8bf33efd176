import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, RateLimitedLog } from '@app/core';
import { JobHandler, QueueFactory, REQUIRED_JOBS } from '@app/jobs';
import type { Job } from 'bullmq';

/** Starts one BullMQ worker per queue that has handlers, after checking every required job has exactly one. */
export class JobHandlerRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobHandlerRegistry.name);
  /** A worker whose Redis is gone reports every reconnect attempt: one line per queue per half minute, with a count. */
  private readonly connectionWarnings = new RateLimitedLog((message) => this.logger.warn(message));

  constructor(
    private readonly handlers: JobHandler[],
    private readonly queues: QueueFactory,
    private readonly config: AppConfig,
  ) {
    assertHandlersComplete(handlers);
  }

  onApplicationBootstrap(): void {
    for (const handler of this.handlers) {
      const worker = this.queues.worker(handler.queue, (job: Job) => this.dispatch(handler, job), { concurrency: this.config.get('WORKER_CONCURRENCY') });
      worker.on('failed', (job, error) => this.logger.warn(`${handler.queue}/${job?.name} ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.message}`));
      worker.on('error', (error) => this.connectionWarnings.say(handler.queue, `${handler.queue} worker: ${error.message}`));
    }
    this.logger.log(`processing ${this.handlers.map((handler) => handler.queue).join(', ')} on ${this.queues.backend}`);
  }

  private dispatch(handler: JobHandler, job: Job): Promise<unknown> {
    const handle = (handler.handlers as Record<string, (data: unknown, job: Job) => Promise<unknown>>)[job.name];
    if (!handle) throw new Error(`no handler for ${handler.queue}/${job.name}`);
    return handle(job.data, job);
  }
}

export function assertHandlersComplete(handlers: JobHandler[]): void {
  const queues = handlers.map((handler) => handler.queue);
  const twice = queues.filter((queue, index) => queues.indexOf(queue) !== index);
  if (twice.length) throw new Error(`more than one processor for queue ${twice.join(', ')}`);
  const missing = REQUIRED_JOBS.filter(([queue, job]) => !handlers.find((handler) => handler.queue === queue && job in handler.handlers));
  if (missing.length) throw new Error(`no handler for ${missing.map(([queue, job]) => `${queue}/${job}`).join(', ')}`);
}
