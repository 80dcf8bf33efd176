import { Injectable } from '@nestjs/common';
import { withTimeout } from '@app/core';
import { QUEUE_NAMES, QueueFactory } from '@app/jobs';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  constructor(queues: QueueFactory) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          QUEUE_NAMES.map(async (name) => {
            const counts = await withTimeout(queues.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed'), 1500).catch(() => undefined);
            for (const [state, count] of Object.entries(counts ?? {})) this.set({ queue: name, state }, count);
          }),
        );
      },
    });
  }
}
