import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, CoreModule, Environment, LoggingModule } from '@app/core';
import { JobHandler, JobsModule, QueueFactory } from '@app/jobs';
import { RegistryModule } from '@app/registry';
import { TuitionModule } from '@app/tuition';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobSchedulers } from './job-schedulers.service';
import { ConfirmationsProcessor } from './processors/confirmations.processor';
import { LicencesProcessor } from './processors/licences.processor';
import { SettlementProcessor } from './processors/settlement.processor';
import { NotificationsProcessor } from './processors/notifications.processor';
import { OutboxRelay } from './relay/outbox-relay.service';

const PROCESSORS = [NotificationsProcessor, LicencesProcessor, ConfirmationsProcessor, SettlementProcessor];

@Module({})
export class WorkerModule {
  static forRoot(environment?: Environment): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(environment), LoggingModule, CoreModule, JobsModule, RegistryModule, TuitionModule],
      providers: [
        ...PROCESSORS,
        OutboxRelay,
        JobSchedulers,
        {
          provide: JobHandlerRegistry,
          inject: [QueueFactory, AppConfig, ...PROCESSORS],
          useFactory: (queues: QueueFactory, config: AppConfig, ...handlers: JobHandler[]) => new JobHandlerRegistry(handlers, queues, config),
        },
      ],
    };
  }
}
