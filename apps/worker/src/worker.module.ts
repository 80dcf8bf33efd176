import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, CoreModule, Environment, LoggingModule } from '@app/core';
import { JobHandler, JobsModule, QueueFactory } from '@app/jobs';
import { RegistryModule } from '@app/registry';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobSchedulers } from './job-schedulers.service';
import { LicencesProcessor } from './processors/licences.processor';
import { NotificationsProcessor } from './processors/notifications.processor';
import { OutboxRelay } from './relay/outbox-relay.service';

const PROCESSORS = [NotificationsProcessor, LicencesProcessor];

@Module({})
export class WorkerModule {
  static forRoot(environment?: Environment): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(environment), LoggingModule, CoreModule, JobsModule, RegistryModule],
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
