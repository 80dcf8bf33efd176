import { Module } from '@nestjs/common';
import { LedgerModule } from '@app/ledger';
import { RegistryModule } from '@app/registry';
import { BankService } from './bank/bank.service';
import { PayoutInstructionsRepository } from './bank/payout-instructions.repository';
import { ClosureCheckModule } from './closure-check.module';
import { ContractsRepository } from './contracts/contracts.repository';
import { ContractsService } from './contracts/contracts.service';
import { LessonsRepository } from './lessons/lessons.repository';
import { CustodyMovementsRepository } from './facts/custody-movements.repository';
import { CustodyMovementsService } from './facts/custody-movements.service';
import { TuitionFactsRepository } from './facts/tuition-facts.repository';
import { TuitionFactsService } from './facts/tuition-facts.service';
import { LessonsService } from './lessons/lessons.service';
import { PaymentOrdersService } from './payments/payment-orders.service';
import { PaymentsRepository } from './payments/payments.repository';
import { ReceiptsService } from './payments/receipts.service';
import { SandboxBankService } from './payments/sandbox-bank.service';
import { RefundRequestsRepository } from './refunds/refund-requests.repository';
import { RefundsService } from './refunds/refunds.service';
import { SettlementService } from './settlement/settlement.service';
import { SettlementsRepository } from './settlement/settlements.repository';
import { TuitionCheckService } from './tuition-check.service';
import { TuitionViewsService } from './views/tuition-views.service';

const REPOSITORIES = [
  ContractsRepository,
  PaymentsRepository,
  LessonsRepository,
  RefundRequestsRepository,
  SettlementsRepository,
  PayoutInstructionsRepository,
  TuitionFactsRepository,
  CustodyMovementsRepository,
];
const SERVICES = [
  ContractsService,
  PaymentOrdersService,
  ReceiptsService,
  SandboxBankService,
  LessonsService,
  RefundsService,
  SettlementService,
  BankService,
  TuitionCheckService,
  TuitionViewsService,
  TuitionFactsService,
  CustodyMovementsService,
];

@Module({
  imports: [LedgerModule, RegistryModule, ClosureCheckModule],
  providers: [...REPOSITORIES, ...SERVICES],
  exports: [...SERVICES, LedgerModule],
})
export class TuitionModule {}
