import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsService } from './accounts/accounts.service';
import { BankClient } from './accounts/bank-client.entity';
import { User } from './accounts/user.entity';
import { AuditRepository } from './audit/audit.repository';
import { AuditService } from './audit/audit.service';
import { Clock } from './clock/clock';
import { jwtSecret } from './auth/jwt-secret';
import { Environment } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { InfrastructureModule } from './infrastructure/infrastructure.module';
import { NotificationsRepository } from './notifications/notifications.repository';
import { NotificationsService } from './notifications/notifications.service';
import { OutboxEvent } from './outbox/outbox-event.entity';
import { OutboxService } from './outbox/outbox.service';
import { CalendarYear } from './reference/calendar-year.entity';
import { District } from './reference/district.entity';
import { Division } from './reference/division.entity';
import { ReferenceDataService } from './reference/reference-data.service';

/** What every process needs: infrastructure, database, accounts, audit, outbox and reference data. */
@Global()
@Module({
  imports: [
    InfrastructureModule,
    DatabaseModule,
    TypeOrmModule.forFeature([User, BankClient, OutboxEvent, District, Division, CalendarYear]),
    JwtModule.registerAsync({
      inject: [Environment],
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a public key
      // on every verify and fails (an exception per request, ~13% of an API request's CPU in bench/ledger).
      useFactory: (environment: Environment) => ({ secret: createSecretKey(Buffer.from(jwtSecret(environment))), signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [Clock, AccountsService, AuditRepository, AuditService, OutboxService, ReferenceDataService, NotificationsRepository, NotificationsService],
  exports: [Clock, AccountsService, AuditService, OutboxService, ReferenceDataService, NotificationsService, TypeOrmModule, JwtModule],
})
export class CoreModule {}
