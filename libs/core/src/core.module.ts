import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AccountsService } from './accounts/accounts.service';
import { BankClientsRepository } from './accounts/bank-clients.repository';
import { UsersRepository } from './accounts/users.repository';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { Clock } from './clock/clock';
import { jwtSecret } from './auth/jwt-secret';
import { Environment } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { NotificationsRepository } from './notifications/notifications.repository';
import { NotificationsService } from './notifications/notifications.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { OutboxService } from './outbox/outbox.service';
import { CalendarYearsRepository } from './reference/calendar-years.repository';
import { DistrictsRepository } from './reference/districts.repository';
import { DivisionsRepository } from './reference/divisions.repository';
import { ReferenceDataService } from './reference/reference-data.service';
import { RetentionRepository } from './retention/retention.repository';
import { RetentionService } from './retention/retention.service';

/** What every process needs: infrastructure, database, accounts, audit, outbox and reference data. */
@Global()
@Module({
  imports: [
    InfrastructureModule,
    DatabaseModule,
    JwtModule.registerAsync({
      inject: [Environment],
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a public key
      // on every verify and fails (an exception per request, ~13% of an API request's CPU in bench/ledger).
      useFactory: (environment: Environment) => ({ secret: createSecretKey(Buffer.from(jwtSecret(environment))), signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [
    Clock,
    UsersRepository,
    BankClientsRepository,
    AccountsService,
    AuditRepository,
    AuditService,
    OutboxRepository,
    OutboxService,
    DistrictsRepository,
    DivisionsRepository,
    CalendarYearsRepository,
    ReferenceDataService,
    NotificationsRepository,
    NotificationsService,
    RetentionRepository,
    RetentionService,
  ],
  exports: [Clock, AccountsService, AuditService, OutboxService, ReferenceDataService, NotificationsService, RetentionService, JwtModule],
})
export class CoreModule {}
