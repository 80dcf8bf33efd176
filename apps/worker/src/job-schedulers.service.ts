import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig, RateLimitedLog } from '@app/core';
import { JOB_SCHEDULES, QueueFactory, QueueName } from '@app/jobs';
import type { JobSchedulerTemplateOptions, RepeatOptions } from 'bullmq';

export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

interface Registration {
  id: string;
  queue: QueueName;
  repeat: Omit<RepeatOptions, 'key'>;
  template: { name: string; data: Record<string, never>; opts: JobSchedulerTemplateOptions };
}

/**
 * Registers the periodic jobs, and keeps them registered: every SCHEDULER_CHECK_SECONDS each worker
 * puts back any scheduler the queue backend lost (Redis restarted empty, a fail-over to a replica that
 * had not yet received them), so a nightly job is never silently gone until the next deploy. Keyed by
 * scheduler id, so several workers doing this together leave exactly one scheduler per job, and a
 * changed pattern replaces the old one at start.
 */
@Injectable()
export class JobSchedulers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobSchedulers.name);
  private readonly warnings = new RateLimitedLog((message) => this.logger.warn(message));
  private timer?: NodeJS.Timeout;
  private checking?: Promise<void>;

  constructor(
    private readonly queues: QueueFactory,
    private readonly config: AppConfig,
  ) {}

  private registrations(): Registration[] {
    const periodic: Registration[] = JOB_SCHEDULES.map((schedule) => ({
      id: schedule.id,
      queue: schedule.queue,
      repeat: { pattern: schedule.pattern, tz: BUSINESS_TIME_ZONE },
      template: { name: schedule.job, data: {}, opts: { attempts: 5, backoff: { type: 'exponential', delay: 5000 } } },
    }));
    // The sandbox bank only where it is on (npm start); its job does nothing where it is off.
    const sandbox: Registration[] = this.config.get('SANDBOX_BANK')
      ? [
          {
            id: 'bank-sandbox',
            queue: 'bank',
            repeat: { every: 2_000 },
            template: { name: 'sandbox-confirm', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
          },
        ]
      : [];
    return [...periodic, ...sandbox];
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('ENABLE_SCHEDULERS')) return;
    // At start every scheduler is written (a changed pattern takes effect); afterwards only missing ones.
    await this.register(this.registrations());
    this.timer = setInterval(
      () => {
        this.checking ??= this.putBackMissing().finally(() => (this.checking = undefined));
      },
      this.config.get('SCHEDULER_CHECK_SECONDS') * 1000,
    );
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
  }

  /** The schedulers the queue backend no longer has, registered again. */
  async putBackMissing(): Promise<void> {
    const missing: Registration[] = [];
    for (const registration of this.registrations()) {
      const existing = await this.queues
        .queue(registration.queue)
        .getJobScheduler(registration.id)
        .catch((error: Error) => {
          this.warnings.say('check', `could not check the job schedulers (will retry): ${error.message}`);
          return null;
        });
      if (existing === undefined) missing.push(registration);
    }
    if (!missing.length) return;
    this.logger.warn(`job schedulers missing from the queue backend, registering them again: ${missing.map((registration) => registration.id).join(', ')}`);
    await this.register(missing);
  }

  private async register(registrations: Registration[]): Promise<void> {
    for (const { id, queue, repeat, template } of registrations) {
      await this.queues
        .queue(queue)
        .upsertJobScheduler(id, repeat, template)
        .catch((error: Error) => this.warnings.say('register', `could not register ${id} (will retry): ${error.message}`));
    }
  }
}
