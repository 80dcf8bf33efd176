import { Module } from '@nestjs/common';
import { LedgerModule } from '@app/ledger';
import { RegistryModule } from '@app/registry';
import { BankService } from './bank/bank.service';
import { ClosureCheckModule } from './closure-check.module';
import { ContractsService } from './contracts/contracts.service';
import { LessonsService } from './lessons/lessons.service';
import { RefundsService } from './refunds/refunds.service';
import { SettlementService } from './settlement/settlement.service';
import { TuitionCheckService } from './tuition-check.service';
import { TuitionViewsService } from './views/tuition-views.service';

@Module({
  imports: [LedgerModule, RegistryModule, ClosureCheckModule],
  providers: [ContractsService, LessonsService, RefundsService, SettlementService, BankService, TuitionCheckService, TuitionViewsService],
  exports: [ContractsService, LessonsService, RefundsService, SettlementService, BankService, TuitionCheckService, TuitionViewsService, LedgerModule],
})
export class TuitionModule {}
