import { Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccountsService, AppConfig, ConfigModule, CoreModule, Environment, LoggingModule, ProblemFilter, RateLimitModule, SharedRateLimiter } from '@app/core';
import { JobsModule } from '@app/jobs';
import { OversightModule } from '@app/oversight';
import { RegistryModule } from '@app/registry';
import { TuitionModule } from '@app/tuition';
import { AccessGuard } from './access/access.guard';
import { PUBLIC_THROTTLER, ThrottlerStorageByName, authThrottlers } from './access/auth-throttles';
import { AccountsController } from './accounts/accounts.controller';
import { AuditController } from './audit/audit.controller';
import { DemoDataService } from './demo/demo-data.service';
import { DemoBulkPupilsService } from './demo/demo-bulk-pupils.service';
import { DemoEnrolmentsRepository } from './demo/demo-enrolments.repository';
import { DemoHistoryService } from './demo/demo-history.service';
import { IdempotencyRepository } from './idempotency/idempotency.repository';
import { HealthController } from './operations/health.controller';
import { MetricsController } from './operations/metrics.controller';
import { NotificationsController } from './notifications/notifications.controller';
import { PublicReductionController, ReductionController } from './oversight/reduction.controller';
import { ReportsController } from './oversight/reports.controller';
import { ComplaintsController } from './oversight/complaints.controller';
import { RiskController } from './oversight/risk.controller';
import { MetricsService } from './operations/metrics.service';
import { QueueBackendHealthIndicator } from './operations/queue-backend.health';
import { QueueDashboardController } from './operations/queue-dashboard.controller';
import { QueueDashboardPasses } from './operations/queue-dashboard-passes.service';
import { QueueDashboardPassesRepository } from './operations/queue-dashboard-passes.repository';
import { ReferenceController } from './reference/reference.controller';
import { InstitutionsController } from './registry/institutions.controller';
import { PolicyController } from './registry/policy.controller';
import { SubjectsController } from './registry/subjects.controller';
import { PublicController } from './registry/public.controller';
import { PublicAnswerCache } from './registry/public-answer-cache';
import { BankController } from './tuition/bank.controller';
import { ContractsController } from './tuition/contracts.controller';
import { SettlementsController } from './tuition/settlements.controller';
import { TuitionViewsController } from './tuition/tuition-views.controller';
import { WEB_CONTROLLERS } from './web';

@Module({})
export class ApiModule implements OnApplicationBootstrap {
  constructor(
    private readonly accounts: AccountsService,
    private readonly demoData: DemoDataService,
  ) {}

  static forRoot(environment?: Environment) {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(environment),
        LoggingModule,
        CoreModule,
        RateLimitModule,
        JobsModule,
        RegistryModule,
        TuitionModule,
        OversightModule,
        TerminusModule.forRoot({ gracefulShutdownTimeoutMs: 0 }),
        ThrottlerModule.forRootAsync({
          inject: [AppConfig, SharedRateLimiter],
          useFactory: (config: AppConfig, limiter: SharedRateLimiter) => ({
            storage: new ThrottlerStorageByName(limiter),
            throttlers: [
              ...authThrottlers(config.get('AUTH_REQUESTS_PER_CLIENT_PER_MINUTE'), config.get('LOGIN_ATTEMPTS_PER_MINUTE')),
              { name: PUBLIC_THROTTLER, ttl: 60_000, limit: config.get('PUBLIC_REQUESTS_PER_MINUTE') },
            ],
          }),
        }),
      ],
      controllers: [
        HealthController,
        MetricsController,
        QueueDashboardController,
        AccountsController,
        ReferenceController,
        AuditController,
        NotificationsController,
        InstitutionsController,
        PolicyController,
        SubjectsController,
        PublicController,
        ContractsController,
        SettlementsController,
        TuitionViewsController,
        BankController,
        ReportsController,
        RiskController,
        ComplaintsController,
        ReductionController,
        PublicReductionController,
        ...WEB_CONTROLLERS,
      ],
      providers: [
        MetricsService,
        DemoDataService,
        DemoHistoryService,
        DemoBulkPupilsService,
        DemoEnrolmentsRepository,
        PublicAnswerCache,
        IdempotencyRepository,
        QueueBackendHealthIndicator,
        QueueDashboardPasses,
        QueueDashboardPassesRepository,
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.accounts.ensureAdmin();
    await this.demoData.loadIfEmpty();
  }
}
