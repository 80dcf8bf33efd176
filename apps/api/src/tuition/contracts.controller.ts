import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { ContractsService, LessonsService, RefundsService } from '@app/tuition';
import { IdempotencyKey, MoneyMoving } from '../idempotency/idempotency.interceptor';
import { AnswerDto, ContractQueryDto, DisputeDto, NewContractDto, NewLessonDto, PaymentDto, RefundRequestDto, RejectDto, ResolveDto } from './tuition.dto';

const uuid = (what: string, code: string) => new ParseUUIDPipe({ exceptionFactory: () => new DomainError(404, code, `${what} was not found.`) });
const contractId = uuid('The contract', 'CONTRACT.NOT_FOUND');
const consumptionId = uuid('The lesson', 'CONSUMPTION.NOT_FOUND');
const refundId = uuid('The refund request', 'REFUND.NOT_FOUND');
const idempotencyHeader = ApiHeader({ name: 'Idempotency-Key', required: true, description: 'the same value on every retry of this request' });

@ApiTags('Tuition and ledger')
@ApiBearerAuth()
@Controller('api/v1')
export class ContractsController {
  constructor(
    private readonly contracts: ContractsService,
    private readonly lessons: LessonsService,
    private readonly refunds: RefundsService,
  ) {}

  @Post('contracts')
  @Roles('parent')
  create(@CurrentUser() parent: Principal, @Body() body: NewContractDto) {
    return this.contracts.create(parent, body);
  }

  @Post('contracts/:id/payments')
  @Roles('parent')
  @MoneyMoving()
  @idempotencyHeader
  pay(@CurrentUser() parent: Principal, @Param('id', contractId) id: string, @Body() body: PaymentDto, @IdempotencyKey() key: string) {
    return this.contracts.pay(parent, id, body, key);
  }

  @Get('contracts/:id')
  @Roles('parent', 'institution', 'regulator', 'admin')
  get(@CurrentUser() principal: Principal, @Param('id', contractId) id: string) {
    return this.contracts.get(principal, id);
  }

  @Get('contracts')
  @Roles('parent', 'institution', 'regulator', 'admin')
  list(@CurrentUser() principal: Principal, @Query() query: ContractQueryDto) {
    return this.contracts.list(principal, query);
  }

  @Post('lessons')
  @Roles('institution')
  @MoneyMoving()
  @idempotencyHeader
  recordLesson(@CurrentUser() owner: Principal, @Body() body: NewLessonDto, @IdempotencyKey() key: string) {
    return this.lessons.record(owner, body, key);
  }

  @Post('consumptions/:id/confirm')
  @HttpCode(200)
  @Roles('parent')
  @MoneyMoving()
  @idempotencyHeader
  confirm(@CurrentUser() parent: Principal, @Param('id', consumptionId) id: string, @Body() _body: DisputeDto) {
    return this.lessons.confirm(parent, id);
  }

  @Post('consumptions/:id/dispute')
  @HttpCode(200)
  @Roles('parent')
  dispute(@CurrentUser() parent: Principal, @Param('id', consumptionId) id: string, @Body() body: DisputeDto) {
    return this.lessons.dispute(parent, id, body.reason ?? null);
  }

  @Post('consumptions/:id/resolve')
  @HttpCode(200)
  @Roles('regulator')
  @MoneyMoving()
  @idempotencyHeader
  resolve(@CurrentUser() regulator: Principal, @Param('id', consumptionId) id: string, @Body() body: ResolveDto) {
    return this.lessons.resolve(regulator, id, body.outcome, body.reason);
  }

  @Post('contracts/:id/refund-requests')
  @Roles('parent')
  @MoneyMoving()
  @idempotencyHeader
  requestRefund(@CurrentUser() parent: Principal, @Param('id', contractId) id: string, @Body() body: RefundRequestDto, @IdempotencyKey() key: string) {
    return this.refunds.request(parent, id, body.reason, key);
  }

  @Get('refund-requests')
  @Roles('institution')
  refundRequests(@CurrentUser() owner: Principal, @Query('status') status?: string) {
    return this.refunds.listForInstitutionOwner(owner, status);
  }

  @Post('refund-requests/:id/accept')
  @HttpCode(200)
  @Roles('institution')
  @MoneyMoving()
  @idempotencyHeader
  acceptRefund(@CurrentUser() owner: Principal, @Param('id', refundId) id: string, @Body() body: AnswerDto) {
    return this.refunds.accept(owner, id, body.reason ?? null);
  }

  @Post('refund-requests/:id/reject')
  @HttpCode(200)
  @Roles('institution')
  rejectRefund(@CurrentUser() owner: Principal, @Param('id', refundId) id: string, @Body() body: RejectDto) {
    return this.refunds.reject(owner, id, body.reason);
  }
}
