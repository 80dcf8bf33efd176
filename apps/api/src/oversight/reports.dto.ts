import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MONTH_PATTERN, REPORT_FIGURES, REPORT_STATUSES, ReportFigure, ReportStatus } from '@app/oversight';
import { PageQueryDto } from '../common/page-query.dto';
import { PageOf } from '../common/responses';

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

export class DiscrepancyDto {
  @ApiProperty({ enum: REPORT_FIGURES }) field: ReportFigure;
  @ApiProperty({ type: 'integer', example: 12, description: 'what the institution filed' }) filed: number;
  @ApiProperty({ type: 'integer', example: 14, description: 'what the ledger and the register say' }) computed: number;
}

/** A figure as filed: null on an overdue row, for which nothing was filed. */
const filedFigure = (description: string) => ApiProperty({ type: 'integer', nullable: true, minimum: 0, description });

export class ReportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ example: '岳麓新东方英语培训学校' }) institutionName: string;
  @ApiProperty({ example: '430104' }) districtCode: string;
  @ApiProperty({ example: '2026-11' }) month: string;
  @filedFigure('pupils enrolled during the month') students: number | null;
  @filedFigure('contracts signed in the month') newContracts: number | null;
  @filedFigure('lessons (class sessions) delivered in the month') lessonsDelivered: number | null;
  @filedFigure('prepaid tuition collected in the month (fen)') prepaidCollectedFen: number | null;
  @filedFigure('refunds made in the month (fen)') refundsFen: number | null;
  @filedFigure('teachers') teachers: number | null;
  @filedFigure('full-time teachers') fullTimeTeachers: number | null;
  @ApiProperty({ enum: REPORT_STATUSES }) status: ReportStatus;
  @ApiProperty({ description: 'filed after the due day, or over an overdue row' }) late: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) filedAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) reviewedAt: Date | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) reviewerId: string | null;
  @ApiProperty({ type: String, nullable: true }) reviewNote: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: [DiscrepancyDto], description: 'every filed figure that differs from the computed one; none for an overdue row' })
  discrepancies: DiscrepancyDto[];
}

export class ReportPageDto extends PageOf(ReportDto) {}

/** A computed figure: what the ledger and the register know of the month. */
const computedFigure = (example: number, description: string) => ApiProperty({ type: 'integer', example, minimum: 0, description });

export class ReportPrefillDto {
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ example: '岳麓新东方英语培训学校' }) institutionName: string;
  @ApiProperty({ example: '2026-11' }) month: string;
  @computedFigure(120, 'distinct pupils of the contracts signed before the month ended and not refunded before it began') students: number;
  @computedFigure(15, 'contracts signed in the month') newContracts: number;
  @computedFigure(260, 'lessons (roll calls) starting in the month') lessonsDelivered: number;
  @computedFigure(1_200_000, 'payments received in the month (fen)') prepaidCollectedFen: number;
  @computedFigure(80_000, 'refund transfers out of escrow in the month (fen)') refundsFen: number;
  @computedFigure(12, 'teachers on file now') teachers: number;
  @computedFigure(8, 'full-time teachers on file now') fullTimeTeachers: number;
}
