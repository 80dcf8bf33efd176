import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DomainEvent, OutboxService, withTimeout } from '@app/core';
import { QueueFactory, enqueuedJobId, jobsForEvent } from '@app/jobs';

const BATCH = 100;
const IDLE_MS = 250;
const MAX_BACKOFF_MS = 10_000;
/** A batch that cannot reach the queue backend in this time is rolled back and retried. */
const DELIVERY_TIMEOUT_MS = 5_000;

/**
 * Moves outbox events to BullMQ, the event id as the job id, and marks them sent in the same
 * transaction that locked them. While the queue backend is down, events stay in the outbox and the
 * relay retries with backoff; nothing is lost and the API never waits for the queue.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;

  constructor(
    private readonly outbox: OutboxService,
    private readonly queues: QueueFactory,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** One pass: sends up to BATCH events; returns how many. */
  relayOnce(): Promise<number> {
    return this.outbox.relayBatch(BATCH, (events) => withTimeout(this.deliver(events), DELIVERY_TIMEOUT_MS, 'the queue backend'));
  }

  private async deliver(events: DomainEvent[]): Promise<void> {
    for (const job of events.flatMap(jobsForEvent)) {
      await this.queues.queue(job.queue).add(job.name, job.data, {
        jobId: enqueuedJobId(job, Date.now()),
        delay: job.debounceMs,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: job.debounceMs ? true : { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 14 * 24 * 3600 },
      });
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let sent = 0;
      try {
        sent = await this.relayOnce();
        if (failures) this.logger.log('queue backend reachable again: relaying the outbox');
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1 || failures % 20 === 0) this.logger.warn(`outbox relay failed (${failures}x), will retry: ${(error as Error).message}`);
      }
      if (sent < BATCH) await this.sleep(failures ? Math.min(MAX_BACKOFF_MS, IDLE_MS * 2 ** failures) : IDLE_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
