import { Module } from '@nestjs/common';
import { LedgerCheckRepository } from './ledger-check.repository';
import { LedgerCheckService } from './ledger-check.service';
import { LedgerFactsRepository } from './ledger-facts.repository';
import { LedgerFactsService } from './ledger-facts.service';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';

@Module({
  providers: [LedgerRepository, LedgerService, LedgerCheckRepository, LedgerCheckService, LedgerFactsRepository, LedgerFactsService],
  exports: [LedgerService, LedgerCheckService, LedgerFactsService],
})
export class LedgerModule {}
