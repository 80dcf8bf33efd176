import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { ReconciliationService } from '@app/oversight';
import { BankService } from '@app/tuition';
import { AckDto, InstructionQueryDto, StatementLinesDto } from './tuition.dto';

const instructionId = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError(404, 'BANK.INSTRUCTION_NOT_FOUND', 'The payout instruction was not found.'),
});

@ApiTags('Bank')
@ApiSecurity('bank')
@Controller('api/v1/bank')
export class BankController {
  constructor(
    private readonly bank: BankService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  /** The bank's statement lines, reconciled against the ledger by a job; a line sent twice is kept once. */
  @Post('statement-lines')
  @HttpCode(200)
  @Roles('bank')
  statementLines(@CurrentUser() bank: Principal, @Body() body: StatementLinesDto) {
    return this.reconciliation.receive(bank, body.lines);
  }

  @Get('payout-instructions')
  @Roles('bank')
  instructions(@CurrentUser() bank: Principal, @Query() query: InstructionQueryDto) {
    return this.bank.instructions(bank, query.status);
  }

  @Post('payout-instructions/:id/ack')
  @HttpCode(200)
  @Roles('bank')
  acknowledge(@CurrentUser() bank: Principal, @Param('id', instructionId) id: string, @Body() body: AckDto) {
    return this.bank.acknowledge(bank, id, body);
  }
}
