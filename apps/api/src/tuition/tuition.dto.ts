import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDate,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PAYMENT_CHANNELS, PaymentChannel } from '@app/tuition';
import { PageQueryDto } from '../common/page-query.dto';
import { PageOf } from '../common/responses';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CONTRACT_STATUSES = ['awaiting_payment', 'active', 'completed', 'refunded'] as const;
const CONSUMPTION_STATUSES = ['pending', 'disputed', 'confirmed', 'voided'] as const;
const PAYMENT_STATUSES = ['pending', 'expired', 'confirmed', 'refunded'] as const;
const PAYOUT_STATUSES = ['pending', 'held', 'executed', 'cancelled'] as const;
const REFUND_STATUSES = ['requested', 'accepted', 'rejected'] as const;

// Requests

export class NewContractDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() courseId: string;
  @ApiProperty({ example: '王小明' }) @IsString() @IsNotEmpty() @MaxLength(50) studentName: string;
  @ApiProperty({ example: 20 }) @IsInt() @Min(1) @Max(1000) lessons: number;
  @ApiProperty({ example: '2026-12-01', format: 'date' }) @Matches(DATE, { message: 'startDate must be a date YYYY-MM-DD' }) startDate: string;
  @ApiProperty({ example: '2027-02-28', format: 'date' }) @Matches(DATE, { message: 'endDate must be a date YYYY-MM-DD' }) endDate: string;
}

export class PaymentOrderRequestDto {
  @ApiProperty({ example: 160000, description: 'fen; at most what is left to pay (the price less confirmed money and open orders)' })
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  amountFen: number;

  @ApiProperty({ enum: PAYMENT_CHANNELS, example: 'bank_transfer' }) @IsIn(PAYMENT_CHANNELS) channel: PaymentChannel;
}

export class ContractQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CONTRACT_STATUSES }) @IsOptional() @IsIn(CONTRACT_STATUSES) status?: string;
}

export class NewLessonDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() courseId: string;
  @ApiProperty({ example: '2026-12-01T10:00:00+08:00', description: 'when the lesson began: not in the future, inside every contract’s dates' })
  @Type(() => Date)
  @IsDate({ message: 'startsAt must be an ISO 8601 instant' })
  startsAt: Date;

  @ApiProperty({ example: 45 }) @IsInt() @Min(10) @Max(240) minutes: number;
  @ApiProperty({ type: [String], description: 'every pupil present: one contract each; the roll call is all or nothing' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  contractIds: string[];
}

export class DisputeDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class ResolveDto {
  @ApiProperty({ enum: ['confirm', 'void'] }) @IsIn(['confirm', 'void']) outcome: 'confirm' | 'void';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class RefundRequestDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class RefundOrderRequestDto {
  @ApiProperty({ example: '机构拒不退费，依投诉核实责令退费' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'the complaint the order answers' }) @IsOptional() @IsUUID() complaintId?: string;
  @ApiPropertyOptional({ minimum: 0, description: 'confirmed lessons that were not delivered: clawed back from the institution’s payable, then its reserve' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  clawbackLessons?: number;
}

export class AnswerDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class RejectDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

/** Why a regulator releases a revoked institution's reserve (kept in the audit). */
export class ReserveReleaseDto {
  @ApiProperty({ example: '合同已全部退费，释放风险准备金' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class RefundRequestQueryDto {
  @ApiPropertyOptional({ enum: REFUND_STATUSES }) @IsOptional() @IsIn(REFUND_STATUSES) status?: string;
}

export class SettlementRunDto {
  @ApiProperty({ example: '430104' }) @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' }) districtCode: string;
}

export class SettlementQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() institutionId?: string;
}

export class AckDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) bankRef: string;
  @ApiProperty({ type: String, format: 'date-time' }) @Type(() => Date) @IsDate({ message: 'executedAt must be an ISO 8601 instant' }) executedAt: Date;
}

export class InstructionQueryDto {
  @ApiPropertyOptional({ enum: PAYOUT_STATUSES, description: 'pending excludes held instructions' })
  @IsOptional()
  @IsIn(PAYOUT_STATUSES)
  status?: (typeof PAYOUT_STATUSES)[number];
}

export class ScopedInstructionQueryDto extends InstructionQueryDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() institutionId?: string;
}

export class ReceiptDto {
  @ApiProperty({ example: 'PO7K3M9QX2H4PB', description: 'the payment order’s reference, as the payer wrote it on the transfer' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  reference: string;

  @ApiProperty({ example: 160000 }) @IsInt() @Min(1) @Max(100_000_000) amountFen: number;
  @ApiProperty({ example: 'BK20261202000123', description: 'the bank’s own reference of the transfer' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  bankRef: string;
  @ApiProperty({ type: String, format: 'date-time' }) @Type(() => Date) @IsDate({ message: 'receivedAt must be an ISO 8601 instant' }) receivedAt: Date;
}

export class StatementLineDto {
  @ApiProperty({ format: 'date' }) @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' }) date: string;
  @ApiProperty() @IsInt() @Min(1) amountFen: number;
  @ApiProperty({ enum: ['in', 'out'] }) @IsIn(['in', 'out']) direction: 'in' | 'out';
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) reference: string;
}

export class StatementLinesDto {
  @ApiProperty({ type: [StatementLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => StatementLineDto)
  lines: StatementLineDto[];
}

export class ConsumptionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CONSUMPTION_STATUSES }) @IsOptional() @IsIn(CONSUMPTION_STATUSES) status?: string;
}

export class EscrowSummaryQueryDto {
  @ApiPropertyOptional({ description: 'one district of the caller’s scope; all of it when absent' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' })
  districtCode?: string;
}

// Answers

export class PaymentDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractId: string;
  @ApiProperty({ example: 'PO7K3M9QX2H4PB', description: 'to write on the transfer: the bank’s receipt names it' }) reference: string;
  @ApiProperty({ example: 160000 }) amountFen: number;
  @ApiProperty({ enum: PAYMENT_CHANNELS }) channel: string;
  @ApiProperty({
    enum: PAYMENT_STATUSES,
    description: 'pending: waiting for the bank; confirmed: in escrow; expired: no money came in time; refunded: returned on arrival',
  })
  status: string;
  @ApiProperty({ type: String, format: 'date-time' }) expiresAt: Date;
  @ApiProperty({ type: String, nullable: true }) bankRef: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) receivedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class ContractDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) parentUserId: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty({ example: '430104' }) districtCode: string;
  @ApiProperty() studentName: string;
  @ApiProperty() lessons: number;
  @ApiProperty() lessonPriceFen: number;
  @ApiProperty() totalFen: number;
  @ApiProperty({ format: 'date' }) startDate: string;
  @ApiProperty({ format: 'date' }) endDate: string;
  @ApiProperty({ enum: CONTRACT_STATUSES }) status: string;
  @ApiProperty({ description: 'money the bank confirmed for this contract' }) paidFen: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class ContractWithBalancesDto extends ContractDto {
  @ApiProperty({ description: 'posted balance of the contract’s escrow' }) escrowFen: number;
  @ApiProperty({ description: 'lessons recorded and waiting for the parent (or a regulator)' }) pendingFen: number;
  @ApiProperty({ description: 'confirmed lessons' }) consumedFen: number;
  @ApiProperty() refundedFen: number;
  @ApiProperty() lessonsUsed: number;
  @ApiProperty({ description: 'escrow less pending lessons: what a refund or a new lesson can draw on' }) availableFen: number;
  @ApiProperty() lessonsRemaining: number;
}

export class ContractDetailDto extends ContractWithBalancesDto {
  @ApiProperty({ type: [PaymentDto] }) payments: PaymentDto[];
  @ApiProperty({ type: () => RefundRequestViewDto, isArray: true, description: 'its refund requests, orders and automatic refunds, newest first' })
  refundRequests: RefundRequestViewDto[];
}

export class ContractPageDto extends PageOf(ContractDetailDto) {}

export class LessonConsumptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractId: string;
  @ApiProperty() amountFen: number;
  @ApiProperty({ enum: CONSUMPTION_STATUSES }) status: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'confirmed by itself from then on, unless disputed; counted from the parent’s notice' })
  autoConfirmAt: Date;
}

export class RecordedLessonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty({ type: String, format: 'date-time' }) startsAt: Date;
  @ApiProperty() minutes: number;
  @ApiProperty({ type: [LessonConsumptionDto] }) consumptions: LessonConsumptionDto[];
}

export class ConsumptionDto extends LessonConsumptionDto {
  @ApiProperty({ format: 'uuid' }) lessonId: string;
  @ApiProperty({ type: String, nullable: true }) disputeReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: Date | null;
}

export class LessonOfContractDto extends ConsumptionDto {
  @ApiProperty({ type: String, format: 'date-time' }) startsAt: Date;
  @ApiProperty() minutes: number;
}

export class LessonOfContractPageDto extends PageOf(LessonOfContractDto) {}

export class ScopedConsumptionDto extends LessonOfContractDto {
  @ApiProperty() studentName: string;
  @ApiProperty() districtCode: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty() institutionName: string;
  @ApiProperty({ format: 'uuid' }) courseId: string;
  @ApiProperty() courseName: string;
}

export class ScopedConsumptionPageDto extends PageOf(ScopedConsumptionDto) {}

export class RefundRequestViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) contractId: string;
  @ApiProperty({ enum: ['request', 'order', 'automatic'] }) kind: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: REFUND_STATUSES }) status: string;
  @ApiProperty({ type: Number, nullable: true, description: 'what was refunded, once accepted' }) amountFen: number | null;
  @ApiProperty({ type: String, format: 'date-time', description: 'accepted by itself from then on if the institution does not answer' }) deemedAcceptedAt: Date;
  @ApiProperty({ type: String, nullable: true }) answerReason: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt: Date | null;
  @ApiProperty() clawbackLessons: number;
  @ApiProperty() clawbackFen: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) complaintId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class SettlementDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty() districtCode: string;
  @ApiProperty({ example: '2026-W49', description: 'the cycle, or final-release for a revoked institution’s last payout' }) period: string;
  @ApiProperty({ format: 'date' }) businessDate: string;
  @ApiProperty() payableFen: number;
  @ApiProperty() payoutFen: number;
  @ApiProperty() retainedFen: number;
  @ApiProperty() releasedFen: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class SettlementPageDto extends PageOf(SettlementDto) {}

export class SettlementOutcomeDto {
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty() settled: boolean;
  @ApiPropertyOptional({ format: 'uuid' }) settlementId?: string;
  @ApiPropertyOptional() payableFen?: number;
  @ApiPropertyOptional() payoutFen?: number;
  @ApiPropertyOptional() retainedFen?: number;
  @ApiPropertyOptional() releasedFen?: number;
  @ApiPropertyOptional({ enum: ['frozen', 'not_in_good_standing', 'nothing_to_settle', 'already_settled'] }) reason?: string;
}

export class SettlementRunResultDto {
  @ApiProperty() districtCode: string;
  @ApiProperty({ type: [SettlementOutcomeDto] }) settlements: SettlementOutcomeDto[];
  @ApiProperty({ type: [SettlementOutcomeDto] }) skipped: SettlementOutcomeDto[];
}

export class PayoutInstructionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['institution_payout', 'parent_refund', 'final_release'] }) kind: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty() districtCode: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) contractId: string | null;
  @ApiProperty() amountFen: number;
  @ApiProperty({ enum: PAYOUT_STATUSES, description: 'held: the institution is not in good standing; the bank may not execute it' }) status: string;
  @ApiProperty({ type: String, nullable: true }) bankRef: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) executedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) cancelledAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class PayoutInstructionPageDto extends PageOf(PayoutInstructionDto) {}

export class ReceiptOutcomeDto {
  @ApiProperty({ format: 'uuid' }) paymentId: string;
  @ApiProperty({
    enum: ['confirmed', 'refunded'],
    description: 'refunded: the money arrived for an expired order or an institution not in good standing and goes back to the payer',
  })
  status: string;
}

export class StatementResultDto {
  @ApiProperty() received: number;
  @ApiProperty() accepted: number;
  @ApiProperty() duplicates: number;
  @ApiProperty({ description: 'payment orders the statement’s lines confirmed' }) confirmedOrders: number;
}

export class AccountBalanceDto {
  @ApiProperty({ enum: ['custody', 'payable', 'reserve', 'refunds', 'payouts'] }) code: string;
  @ApiProperty() balanceFen: number;
  @ApiProperty() debitsPendingFen: number;
  @ApiProperty() creditsPendingFen: number;
}

export class ContractTotalsDto {
  @ApiProperty() contracts: number;
  @ApiProperty() escrowFen: number;
  @ApiProperty() pendingFen: number;
}

export class InstitutionEscrowDto {
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty() frozen: boolean;
  @ApiProperty({ type: [AccountBalanceDto] }) accounts: AccountBalanceDto[];
  @ApiProperty({ type: ContractTotalsDto }) contracts: ContractTotalsDto;
}

export class EscrowDayDto {
  @ApiProperty({ format: 'date' }) date: string;
  @ApiProperty() inFen: number;
  @ApiProperty() releasedFen: number;
  @ApiProperty() refundedFen: number;
  @ApiProperty({ description: 'what custody held at the end of the day' }) heldFen: number;
}

export class EscrowSummaryDto {
  @ApiProperty({ example: '430104' }) scope: string;
  @ApiProperty() heldFen: number;
  @ApiProperty() escrowFen: number;
  @ApiProperty() lessonsPendingFen: number;
  @ApiProperty() contracts: number;
  @ApiProperty() payableFen: number;
  @ApiProperty() reserveFen: number;
  @ApiProperty() refundsOwedFen: number;
  @ApiProperty({ type: [EscrowDayDto] }) daily: EscrowDayDto[];
}

export class InvariantDto {
  @ApiProperty({ example: 'custody_equals_liabilities' }) invariant: string;
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) figures: Record<string, unknown>;
}

export class LedgerCheckDto {
  @ApiProperty() ok: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) checkedAt: string;
  @ApiProperty({ type: [InvariantDto] }) invariants: InvariantDto[];
}
