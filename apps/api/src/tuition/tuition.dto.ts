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
import { PageQueryDto } from '../common/page-query.dto';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class NewContractDto {
  @ApiProperty() @IsUUID() courseId: string;
  @ApiProperty({ example: '王小明' }) @IsString() @IsNotEmpty() @MaxLength(50) studentName: string;
  @ApiProperty({ example: 20 }) @IsInt() @Min(1) @Max(1000) lessons: number;
  @ApiProperty({ example: '2026-12-01' }) @Matches(DATE, { message: 'startDate must be a date YYYY-MM-DD' }) startDate: string;
  @ApiProperty({ example: '2027-02-28' }) @Matches(DATE, { message: 'endDate must be a date YYYY-MM-DD' }) endDate: string;
}

export class PaymentDto {
  @ApiProperty({ example: 160000, description: 'fen' }) @IsInt() @Min(1) @Max(100_000_000) amountFen: number;
  @ApiProperty({ example: 'bank_transfer' }) @IsIn(['bank_transfer', 'wechat_pay', 'alipay', 'union_pay']) channel: string;
  @ApiProperty({ example: 'WX202611290001' }) @IsString() @IsNotEmpty() @MaxLength(100) externalRef: string;
}

export class ContractQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['awaiting_payment', 'active', 'completed', 'refunded'] })
  @IsOptional()
  @IsIn(['awaiting_payment', 'active', 'completed', 'refunded'])
  status?: string;
}

export class NewLessonDto {
  @ApiProperty() @IsUUID() courseId: string;
  @ApiProperty({ example: '2026-12-01T10:00:00+08:00' }) @Type(() => Date) @IsDate({ message: 'startsAt must be an ISO 8601 instant' }) startsAt: Date;
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

export class AnswerDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class RejectDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class SettlementRunDto {
  @ApiProperty({ example: '430104' }) @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' }) districtCode: string;
}

export class SettlementQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
}

export class AckDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) bankRef: string;
  @ApiProperty() @Type(() => Date) @IsDate({ message: 'executedAt must be an ISO 8601 instant' }) executedAt: Date;
}

export class InstructionQueryDto {
  @ApiPropertyOptional({ enum: ['pending', 'executed'] }) @IsOptional() @IsIn(['pending', 'executed']) status?: 'pending' | 'executed';
}

export class StatementLineDto {
  @ApiProperty() @Matches(DATE, { message: 'date must be a date YYYY-MM-DD' }) date: string;
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
