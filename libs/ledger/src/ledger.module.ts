import { Module } from '@nestjs/common';
import { LedgerCheckRepository } from './ledger-check.repository';
import { LedgerCheckService } from './ledger-check.service';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

@Module({ providers: [LedgerRepository, LedgerService, LedgerCheckRepository, LedgerCheckService], exports: [LedgerService, LedgerCheckService] })
export class LedgerModule {}
