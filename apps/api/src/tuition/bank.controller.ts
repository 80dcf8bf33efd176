import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { ReconciliationService } from '@app/oversight';
import { BankService, ReceiptsService } from '@app/tuition';
import { ApiProblems } from '../common/responses';
import { MoneyMoving } from '../idempotency/idempotency.interceptor';
import {
  AckDto,
  InstructionQueryDto,
  PayoutInstructionDto,
  PayoutInstructionPageDto,
  ReceiptDto,
  ReceiptOutcomeDto,
  StatementLinesDto,
  StatementResultDto,
} from './tuition.dto';

const instructionId = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError(404, 'BANK.INSTRUCTION_NOT_FOUND', 'The payout instruction was not found.'),
});

/** The supervising bank, a machine client with an API key, scoped to its districts. */
@ApiTags('Bank')
@ApiSecurity('bank')
@Controller('api/v1/bank')
export class BankController {
  constructor(
    private readonly bank: BankService,
    private readonly receipts: ReceiptsService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  @Post('receipts')
  @Roles('bank')
  @MoneyMoving()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'the same value on every retry of this request' })
  @ApiOperation({
    operationId: 'receiveBankReceipt',
    summary:
      'The bank received money for a payment order: escrow credited (BANK.UNKNOWN_REFERENCE, BANK.AMOUNT_MISMATCH refused and alerted); money for an expired order or an institution not in good standing is returned at once',
  })
  @ApiCreatedResponse({ type: ReceiptOutcomeDto })
  @ApiProblems(400, 401, 403, 409, 422)
  receipt(@CurrentUser() bank: Principal, @Body() body: ReceiptDto): Promise<ReceiptOutcomeDto> {
    return this.receipts.receive(bank, body);
  }

  /**
   * The bank's statement lines: an `in` line carrying an order's reference and amount confirms it as a
   * receipt would; every line is kept for reconciliation (a line sent twice is kept once).
   */
  @Post('statement-lines')
  @HttpCode(200)
  @Roles('bank')
  @ApiOperation({
    operationId: 'receiveStatementLines',
    summary: 'The bank’s statement lines: kept for reconciliation, and confirming the payment orders they carry',
  })
  @ApiOkResponse({ type: StatementResultDto })
  @ApiProblems(400, 401, 403)
  async statementLines(@CurrentUser() bank: Principal, @Body() body: StatementLinesDto): Promise<StatementResultDto> {
    const confirmedOrders = await this.receipts.receiveFromStatement(bank, body.lines);
    return { ...(await this.reconciliation.receive(bank, body.lines)), confirmedOrders };
  }

  @Get('payout-instructions')
  @Roles('bank')
  @ApiOperation({ operationId: 'listBankPayoutInstructions', summary: 'Payouts to execute in the bank’s districts: pending excludes held ones' })
  @ApiOkResponse({ type: PayoutInstructionPageDto })
  @ApiProblems(400, 401, 403)
  instructions(@CurrentUser() bank: Principal, @Query() query: InstructionQueryDto): Promise<PayoutInstructionPageDto> {
    return this.bank.instructions(bank, query.status);
  }

  @Post('payout-instructions/:id/ack')
  @HttpCode(200)
  @Roles('bank')
  @ApiOperation({
    operationId: 'acknowledgePayout',
    summary: 'The bank executed an instruction: the money leaves custody (PAYOUT.HELD, PAYOUT.CANCELLED refused)',
  })
  @ApiOkResponse({ type: PayoutInstructionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  acknowledge(@CurrentUser() bank: Principal, @Param('id', instructionId) id: string, @Body() body: AckDto): Promise<PayoutInstructionDto> {
    return this.bank.acknowledge(bank, id, body);
  }
}
