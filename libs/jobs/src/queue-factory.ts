import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { withTimeout } from '@app/core/async/with-timeout';
import { AppConfig } from '@app/core/config/app-config';
import { INFRASTRUCTURE, Infrastructure } from '@app/core/infrastructure/infrastructure';
import { Job, Queue, Worker, WorkerOptions, createPostgresBackend, withBackend } from 'bullmq';
import IORedis, { RedisOptions } from 'ioredis';
import { QUEUE_NAMES, QueueName } from './queues';

export type AnyQueue = Queue;

const CLOSE_TIMEOUT_MS = 10_000;
export type Processor = (job: Job) => Promise<unknown>;

/**
 * Builds BullMQ queues and workers on the backend the infrastructure chose: Redis when REDIS_URL is
 * set, otherwise BullMQ's PostgreSQL backend on the platform's own database.
 */
@Injectable()
export class QueueFactory implements OnApplicationShutdown {
  private readonly queues = new Map<QueueName, AnyQueue>();
  private readonly logger = new Logger(QueueFactory.name);
  private readonly closables: Array<{ name: string; close(): Promise<unknown>; force(): Promise<unknown> }> = [];
  private readonly postgres = withBackend(createPostgresBackend);
  // BullMQ keeps its own schema ("bullmq") in the platform's database and migrates it under an
  // advisory lock, so several processes starting at once are safe.

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly config: AppConfig,
  ) {}

  get backend(): 'redis' | 'postgres' {
    return this.infrastructure.queueBackend.kind;
  }

  /** A producer queue. Redis producers fail fast while Redis is down instead of queueing in memory. */
  queue(name: QueueName): AnyQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      const backend = this.infrastructure.queueBackend;
      queue =
        backend.kind === 'redis'
          ? new Queue(name, {
              prefix: this.config.get('QUEUE_PREFIX'),
              connection: this.redis(backend.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
            })
          : (new this.postgres.Queue(name, { connection: { connectionString: backend.url, max: 4, migrate: true } }) as unknown as AnyQueue);
      queue.on('error', () => undefined); // surfaced through health checks and failed adds, not as crashes
      this.queues.set(name, queue);
      const created = queue;
      this.closables.push({ name: `queue ${name}`, close: () => created.close(), force: () => created.disconnect() });
    }
    return queue;
  }

  allQueues(): AnyQueue[] {
    return QUEUE_NAMES.map((name) => this.queue(name));
  }

  /** A consumer. Redis workers block on their connection, so they retry forever (maxRetriesPerRequest: null). */
  worker(name: QueueName, processor: Processor, options: Omit<WorkerOptions, 'connection'> = {}): Worker {
    const backend = this.infrastructure.queueBackend;
    const worker =
      backend.kind === 'redis'
        ? new Worker(name, processor, {
            ...options,
            prefix: this.config.get('QUEUE_PREFIX'),
            connection: this.redis(backend.url, { maxRetriesPerRequest: null }),
          })
        : (new this.postgres.Worker(name, processor, {
            ...options,
            connection: { connectionString: backend.url, max: 4, migrate: true },
          }) as unknown as Worker);
    this.closables.push({ name: `worker ${name}`, close: () => worker.close(), force: () => worker.close(true) });
    return worker;
  }

  private redis(url: string, options: RedisOptions): IORedis {
    const connection = new IORedis(url, { ...options, lazyConnect: false });
    connection.on('error', () => undefined); // ioredis reconnects by itself; logging every retry floods the log
    this.closables.push({ name: 'redis connection', close: () => connection.quit(), force: async () => connection.disconnect() });
    return connection;
  }

  async onApplicationShutdown(): Promise<void> {
    // Workers first (they finish their in-flight jobs), then queues, then connections. Anything that
    // cannot close in time (its backend is unreachable) is cut, so shutdown never hangs.
    for (const closable of [...this.closables].reverse()) {
      await withTimeout(closable.close(), CLOSE_TIMEOUT_MS, closable.name).catch(async (error: Error) => {
        this.logger.warn(`${error.message}: forcing it`);
        await closable.force().catch(() => undefined);
      });
    }
    this.closables.length = 0;
    this.queues.clear();
  }
}
