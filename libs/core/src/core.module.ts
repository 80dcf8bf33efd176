import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
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
import { Notification } from './notifications/notification.entity';
import { NotificationsService } from './notifications/notifications.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { OutboxService } from './outbox/outbox.service';
import { CalendarYearsRepository } from './reference/calendar-years.repository';
import { DistrictsRepository } from './reference/districts.repository';
import { DivisionsRepository } from './reference/divisions.repository';
import { ReferenceDataService } from './reference/reference-data.service';

/** What every process needs: infrastructure, database, accounts, audit, outbox and reference data. */
@Global()
@Module({
  imports: [
    InfrastructureModule,
    DatabaseModule,
    TypeOrmModule.forFeature([Notification]),
    JwtModule.registerAsync({
      inject: [Environment],
      useFactory: (environment: Environment) => ({ secret: jwtSecret(environment), signOptions: { algorithm: 'HS256' } }),
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
    NotificationsService,
  ],
  exports: [Clock, AccountsService, AuditService, OutboxService, ReferenceDataService, NotificationsService, TypeOrmModule, JwtModule],
})
export class CoreModule {}
