import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, DomainError, Principal, Roles } from '@app/core';
import { ContractsService, LessonsService, PaymentOrdersService, RefundsService } from '@app/tuition';
import { ApiProblems } from '../common/responses';
import { IdempotencyKey, MoneyMoving } from '../idempotency/idempotency.interceptor';
import {
  AnswerDto,
  ConsumptionDto,
  ContractDetailDto,
  ContractDto,
  ContractPageDto,
  ContractQueryDto,
  DisputeDto,
  NewContractDto,
  NewLessonDto,
  PaymentDto,
  PaymentOrderRequestDto,
  RecordedLessonDto,
  RefundOrderRequestDto,
  RefundRequestDto,
  RefundRequestQueryDto,
  RefundRequestViewDto,
  RejectDto,
  ResolveDto,
} from './tuition.dto';

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
    private readonly orders: PaymentOrdersService,
    private readonly lessons: LessonsService,
    private readonly refunds: RefundsService,
  ) {}

  @Post('contracts')
  @Roles('parent')
  @ApiOperation({
    operationId: 'createContract',
    summary:
      'A parent’s contract for a course, within the district’s prepaid limits per pupil (POLICY.PREPAID_LIMIT); only from a white-listed institution (INSTITUTION.NOT_ENROLLING)',
  })
  @ApiCreatedResponse({ type: ContractDto })
  @ApiProblems(400, 401, 403, 404, 422)
  create(@CurrentUser() parent: Principal, @Body() body: NewContractDto): Promise<ContractDto> {
    return this.contracts.create(parent, body);
  }

  @Post('contracts/:id/payments')
  @Roles('parent')
  @MoneyMoving()
  @idempotencyHeader
  @ApiOperation({
    operationId: 'openPaymentOrder',
    summary: 'Open a payment order: a reference to write on the transfer, valid 24 h. Nothing is credited until the bank confirms the money.',
  })
  @ApiCreatedResponse({ type: PaymentDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  pay(
    @CurrentUser() parent: Principal,
    @Param('id', contractId) id: string,
    @Body() body: PaymentOrderRequestDto,
    @IdempotencyKey() key: string,
  ): Promise<PaymentDto> {
    return this.orders.open(parent, id, body, key);
  }

  @Get('contracts/:id')
  // Personal data: not the admin's (docs/decisions.md, "Security": least privilege).
  @Roles('parent', 'institution', 'regulator')
  @ApiOperation({ operationId: 'getContract', summary: 'A contract with its money and its payment orders' })
  @ApiOkResponse({ type: ContractDetailDto })
  @ApiProblems(401, 403, 404)
  get(@CurrentUser() principal: Principal, @Param('id', contractId) id: string): Promise<ContractDetailDto> {
    return this.contracts.get(principal, id);
  }

  @Get('contracts')
  @Roles('parent', 'institution', 'regulator')
  @ApiOperation({ operationId: 'listContracts', summary: 'Contracts of the caller’s scope, newest first' })
  @ApiOkResponse({ type: ContractPageDto })
  @ApiProblems(400, 401, 403)
  list(@CurrentUser() principal: Principal, @Query() query: ContractQueryDto): Promise<ContractPageDto> {
    return this.contracts.list(principal, query);
  }

  @Post('lessons')
  @Roles('institution')
  @MoneyMoving()
  @idempotencyHeader
  @ApiOperation({
    operationId: 'recordLesson',
    summary:
      'A roll call: one lesson for a whole class, each pupil’s share pending the parent, who is notified; all or nothing (LESSON.OUT_OF_WINDOW, LEDGER.INSUFFICIENT_ESCROW…)',
  })
  @ApiCreatedResponse({ type: RecordedLessonDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  recordLesson(@CurrentUser() owner: Principal, @Body() body: NewLessonDto, @IdempotencyKey() key: string): Promise<RecordedLessonDto> {
    return this.lessons.record(owner, body, key);
  }

  @Post('consumptions/:id/confirm')
  @HttpCode(200)
  @Roles('parent')
  @MoneyMoving()
  @idempotencyHeader
  @ApiOperation({ operationId: 'confirmLesson', summary: 'The parent confirms a lesson: its price moves from escrow to the institution’s payable' })
  @ApiOkResponse({ type: ConsumptionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  confirm(@CurrentUser() parent: Principal, @Param('id', consumptionId) id: string, @Body() _body: DisputeDto): Promise<ConsumptionDto> {
    return this.lessons.confirm(parent, id);
  }

  @Post('consumptions/:id/dispute')
  @HttpCode(200)
  @Roles('parent')
  @ApiOperation({ operationId: 'disputeLesson', summary: 'The parent disputes a lesson: it waits for a regulator' })
  @ApiOkResponse({ type: ConsumptionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  dispute(@CurrentUser() parent: Principal, @Param('id', consumptionId) id: string, @Body() body: DisputeDto): Promise<ConsumptionDto> {
    return this.lessons.dispute(parent, id, body.reason ?? null);
  }

  @Post('consumptions/:id/resolve')
  @HttpCode(200)
  @Roles('regulator')
  @MoneyMoving()
  @idempotencyHeader
  @ApiOperation({ operationId: 'resolveDisputedLesson', summary: 'A regulator decides a disputed lesson: posted to the institution or voided' })
  @ApiOkResponse({ type: ConsumptionDto })
  @ApiProblems(400, 401, 403, 404, 409)
  resolve(@CurrentUser() regulator: Principal, @Param('id', consumptionId) id: string, @Body() body: ResolveDto): Promise<ConsumptionDto> {
    return this.lessons.resolve(regulator, id, body.outcome, body.reason);
  }

  @Post('contracts/:id/refund-requests')
  @Roles('parent')
  @MoneyMoving()
  @idempotencyHeader
  @ApiOperation({
    operationId: 'requestRefund',
    summary: 'A parent asks for everything unconsumed and not pending; the institution answers within its window or it is deemed accepted',
  })
  @ApiCreatedResponse({ type: RefundRequestViewDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  requestRefund(
    @CurrentUser() parent: Principal,
    @Param('id', contractId) id: string,
    @Body() body: RefundRequestDto,
    @IdempotencyKey() key: string,
  ): Promise<RefundRequestViewDto> {
    return this.refunds.request(parent, id, body.reason, key);
  }

  @Post('contracts/:id/refund-orders')
  @Roles('regulator')
  @MoneyMoving()
  @idempotencyHeader
  @ApiOperation({
    operationId: 'orderRefund',
    summary:
      'A regulator’s refund order, made at once: escrow’s unconsumed money, and a claw-back of confirmed lessons from payable then reserve (REFUND.CLAWBACK_UNCOVERED beyond both)',
  })
  @ApiCreatedResponse({ type: RefundRequestViewDto })
  @ApiProblems(400, 401, 403, 404, 409, 422)
  orderRefund(
    @CurrentUser() regulator: Principal,
    @Param('id', contractId) id: string,
    @Body() body: RefundOrderRequestDto,
    @IdempotencyKey() key: string,
  ): Promise<RefundRequestViewDto> {
    return this.refunds.order(regulator, id, body, key);
  }

  @Get('refund-requests')
  @Roles('institution')
  @ApiOperation({ operationId: 'listRefundRequests', summary: 'Refund requests of the owner’s institutions, newest first' })
  @ApiOkResponse({ type: [RefundRequestViewDto] })
  @ApiProblems(400, 401, 403)
  refundRequests(@CurrentUser() owner: Principal, @Query() query: RefundRequestQueryDto): Promise<RefundRequestViewDto[]> {
    return this.refunds.listForInstitutionOwner(owner, query.status);
  }

  @Post('refund-requests/:id/accept')
  @HttpCode(200)
  @Roles('institution')
  @MoneyMoving()
  @idempotencyHeader
  @ApiOperation({ operationId: 'acceptRefund', summary: 'The institution accepts: everything unconsumed and not pending goes back to the parent' })
  @ApiOkResponse({ type: RefundRequestViewDto })
  @ApiProblems(400, 401, 403, 404, 409)
  acceptRefund(@CurrentUser() owner: Principal, @Param('id', refundId) id: string, @Body() body: AnswerDto): Promise<RefundRequestViewDto> {
    return this.refunds.accept(owner, id, body.reason ?? null);
  }

  @Post('refund-requests/:id/reject')
  @HttpCode(200)
  @Roles('institution')
  @ApiOperation({ operationId: 'rejectRefund', summary: 'The institution rejects: the request goes to the regulators as a complaint' })
  @ApiOkResponse({ type: RefundRequestViewDto })
  @ApiProblems(400, 401, 403, 404, 409)
  rejectRefund(@CurrentUser() owner: Principal, @Param('id', refundId) id: string, @Body() body: RejectDto): Promise<RefundRequestViewDto> {
    return this.refunds.reject(owner, id, body.reason);
  }
}
