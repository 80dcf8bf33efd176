import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MONTH_PATTERN, REPORT_STATUSES, ReportStatus } from '@app/oversight';
import { PageQueryDto } from '../common/page-query.dto';

const month = () => Matches(MONTH_PATTERN, { message: 'month must be a month YYYY-MM' });
const count = (example: number, description: string) => applyDecorators(ApiProperty({ example, description, minimum: 0 }), IsInt(), Min(0), Max(10_000_000));
const fen = (example: number, description: string) =>
  applyDecorators(ApiProperty({ example, description: `${description} (fen)`, minimum: 0 }), IsInt(), Min(0), Max(Number.MAX_SAFE_INTEGER));

export class FileReportDto {
  @ApiProperty({ example: '2026-11' }) @month() month: string;
  @ApiPropertyOptional({ description: 'required when the account holds more than one licensed institution' }) @IsOptional() @IsUUID() institutionId?: string;
  @count(120, 'pupils enrolled during the month') students: number;
  @count(15, 'contracts signed in the month') newContracts: number;
  @count(260, 'lessons (class sessions) delivered in the month') lessonsDelivered: number;
  @fen(1_200_000, 'prepaid tuition collected in the month') prepaidCollectedFen: number;
  @fen(80_000, 'refunds made in the month') refundsFen: number;
  @count(12, 'teachers') teachers: number;
  @count(8, 'full-time teachers') fullTimeTeachers: number;
}

export class PrefillQueryDto {
  @ApiProperty({ example: '2026-11' }) @month() month: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
}

export class ReportQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: '2026-11' }) @IsOptional() @month() month?: string;
  @ApiPropertyOptional({ enum: REPORT_STATUSES }) @IsOptional() @IsIn(REPORT_STATUSES) status?: ReportStatus;
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
}

export class ReviewReportDto {
  @ApiProperty({ enum: ['accept', 'return'] }) @IsIn(['accept', 'return']) decision: 'accept' | 'return';
  @ApiPropertyOptional({ description: 'required to return a report: what to correct' })
  @ValidateIf((body: ReviewReportDto) => body.decision === 'return' || body.note !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  note?: string;
}
