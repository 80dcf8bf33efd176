import { Module } from '@nestjs/common';
import { LedgerModule } from '@app/ledger';
import { RegistryModule } from '@app/registry';
import { BankService } from './bank/bank.service';
import { ClosureCheckModule } from './closure-check.module';
import { ContractsService } from './contracts/contracts.service';
import { CustodyMovementsRepository } from './facts/custody-movements.repository';
import { CustodyMovementsService } from './facts/custody-movements.service';
import { TuitionFactsRepository } from './facts/tuition-facts.repository';
import { TuitionFactsService } from './facts/tuition-facts.service';
import { LessonsService } from './lessons/lessons.service';
import { RefundsService } from './refunds/refunds.service';
import { SettlementService } from './settlement/settlement.service';
import { TuitionCheckService } from './tuition-check.service';
import { TuitionViewsService } from './views/tuition-views.service';

@Module({
  imports: [LedgerModule, RegistryModule, ClosureCheckModule],
  providers: [
    ContractsService,
    LessonsService,
    RefundsService,
    SettlementService,
    BankService,
    TuitionCheckService,
    TuitionViewsService,
    TuitionFactsRepository,
    TuitionFactsService,
    CustodyMovementsRepository,
    CustodyMovementsService,
  ],
  exports: [
    ContractsService,
    LessonsService,
    RefundsService,
    SettlementService,
    BankService,
    TuitionCheckService,
    TuitionViewsService,
    TuitionFactsService,
    CustodyMovementsService,
    LedgerModule,
  ],
})
export class TuitionModule {}
