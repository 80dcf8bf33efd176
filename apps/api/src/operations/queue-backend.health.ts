import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { withTimeout } from '@app/core';
import { QueueFactory } from '@app/jobs';

const TIMEOUT_MS = 2000;

/** The queue backend answers within the timeout (Redis or BullMQ's PostgreSQL backend alike). */
@Injectable()
export class QueueBackendHealthIndicator {
  constructor(
    private readonly queues: QueueFactory,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key: string) {
    const indicator = this.health.check(key);
    try {
      await withTimeout(this.queues.queue('notifications').getJobCounts('waiting'), TIMEOUT_MS, 'the queue backend');
      return indicator.up({ backend: this.queues.backend });
    } catch (error) {
      return indicator.down({ backend: this.queues.backend, message: (error as Error).message });
    }
  }
}
