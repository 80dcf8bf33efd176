import { Module } from '@nestjs/common';
import { LedgerCheckService } from './ledger-check.service';
import { LedgerFactsRepository } from './ledger-facts.repository';
import { LedgerFactsService } from './ledger-facts.service';
import { LedgerService } from './ledger.service';

@Module({
  providers: [LedgerService, LedgerCheckService, LedgerFactsRepository, LedgerFactsService],
  exports: [LedgerService, LedgerCheckService, LedgerFactsService],
})
export class LedgerModule {}
