import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@app/core';
import { JOB_SCHEDULES, QueueFactory } from '@app/jobs';

export const BUSINESS_TIME_ZONE = 'Asia/Shanghai';

/**
 * Registers the periodic jobs. upsertJobScheduler is keyed by scheduler id, so several workers starting
 * together leave exactly one scheduler per job, and a changed pattern replaces the old one.
 */
@Injectable()
export class JobSchedulers implements OnApplicationBootstrap {
  private readonly logger = new Logger(JobSchedulers.name);

  constructor(
    private readonly queues: QueueFactory,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('ENABLE_SCHEDULERS')) return;
    for (const schedule of JOB_SCHEDULES) {
      await this.queues
        .queue(schedule.queue)
        .upsertJobScheduler(
          schedule.id,
          { pattern: schedule.pattern, tz: BUSINESS_TIME_ZONE },
          { name: schedule.job, data: {}, opts: { attempts: 5, backoff: { type: 'exponential', delay: 5000 } } },
        )
        .catch((error: Error) => this.logger.warn(`could not register ${schedule.id} (will be registered at the next start): ${error.message}`));
    }
    // The sandbox bank only where it is on (npm start); its job does nothing where it is off.
    if (this.config.get('SANDBOX_BANK')) {
      await this.queues
        .queue('bank')
        .upsertJobScheduler('bank-sandbox', { every: 2_000 }, { name: 'sandbox-confirm', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } })
        .catch((error: Error) => this.logger.warn(`could not register the sandbox bank: ${error.message}`));
    }
  }
}
