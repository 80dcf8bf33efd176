import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, ConfigModule, CoreModule, Environment, LoggingModule } from '@app/core';
import { JobHandler, JobsModule, QueueFactory } from '@app/jobs';
import { OversightModule } from '@app/oversight';
import { RegistryModule } from '@app/registry';
import { TuitionModule } from '@app/tuition';
import { JobHandlerRegistry } from './job-handler.registry';
import { JobSchedulers } from './job-schedulers.service';
import { BankProcessor } from './processors/bank.processor';
import { ConfirmationsProcessor } from './processors/confirmations.processor';
import { LicencesProcessor } from './processors/licences.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { ReconciliationProcessor } from './processors/reconciliation.processor';
import { RiskProcessor } from './processors/risk.processor';
import { SettlementProcessor } from './processors/settlement.processor';
import { NotificationsProcessor } from './processors/notifications.processor';
import { ReductionProcessor } from './processors/reduction.processor';
import { ReportsProcessor } from './processors/reports.processor';
import { OutboxRelay } from './relay/outbox-relay.service';

const PROCESSORS = [
  NotificationsProcessor,
  LicencesProcessor,
  ConfirmationsProcessor,
  SettlementProcessor,
  ReportsProcessor,
  ReductionProcessor,
  RiskProcessor,
  ReconciliationProcessor,
  BankProcessor,
  MaintenanceProcessor,
];

@Module({})
export class WorkerModule {
  static forRoot(environment?: Environment): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(environment), LoggingModule, CoreModule, JobsModule, RegistryModule, TuitionModule, OversightModule],
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
