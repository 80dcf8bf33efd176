import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { DistrictPolicy } from '@app/registry';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class GuidedPricesDto {
  @ApiPropertyOptional({ description: 'fen per lesson, classes under 10' })
  @IsOptional()
  @IsInt()
  @Min(1)
  '<10'?: number;

  @ApiPropertyOptional({ description: 'fen per lesson, classes of 10 to 35' })
  @IsOptional()
  @IsInt()
  @Min(1)
  '10-35'?: number;

  @ApiPropertyOptional({ description: 'fen per lesson, classes over 35' })
  @IsOptional()
  @IsInt()
  @Min(1)
  '>35'?: number;
}

export class RiskThresholdsDto {
  @ApiProperty({ example: 3 }) @IsInt() @Min(1) @Max(1000) complaints30d: number;
  @ApiProperty({ example: 3 }) @IsInt() @Min(1) @Max(1000) refundRequests30d: number;
  @ApiProperty({ example: 3 }) @IsInt() @Min(2) @Max(100) enrollmentSpikeFactor: number;
  @ApiProperty({ example: 30 }) @IsInt() @Min(7) @Max(365) stalledDays: number;
  @ApiProperty({ example: 30 }) @IsInt() @Min(1) @Max(365) expiringDays: number;
}

/** docs/domain.md, “District policy”. Every field of that section is required on PUT: the policy is replaced whole (risk thresholds keep theirs when left out). */
export class DistrictPolicyDto {
  @ApiProperty({ example: 60 }) @IsInt() @Min(1) @Max(1000) maxPrepaidLessons: number;
  @ApiProperty({ example: 3 }) @IsInt() @Min(1) @Max(36) maxPrepaidMonths: number;
  @ApiProperty({ example: 500000 }) @IsInt() @Min(1) @Max(1_000_000_00) maxPrepaidAmountFen: number;
  @ApiProperty({ example: 7 }) @IsInt() @Min(1) @Max(60) confirmWindowWorkingDays: number;
  @ApiProperty({ example: 5 }) @IsInt() @Min(1) @Max(60) refundResponseWorkingDays: number;
  @ApiProperty({ enum: ['daily', 'weekly', 'monthly'] }) @IsIn(['daily', 'weekly', 'monthly']) settlementCycle: 'daily' | 'weekly' | 'monthly';

  @ApiProperty({ example: 0.2, description: 'a fraction from 0 to 1, at most 4 decimals' })
  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false }, { message: 'retentionRate must be a fraction with at most 4 decimals' })
  @Min(0)
  @Max(1)
  retentionRate: number;

  @ApiProperty({ example: 90 }) @IsInt() @Min(0) @Max(3650) retentionDays: number;

  @ApiProperty({ type: GuidedPricesDto })
  @ValidateNested()
  @Type(() => GuidedPricesDto)
  guidedPrices: GuidedPricesDto;

  @ApiProperty({ example: 10 }) @IsInt() @Min(1) @Max(28) reportDueDay: number;
  @ApiProperty({ example: '20:30' }) @Matches(HH_MM, { message: 'latestOfflineEnd must be a time HH:MM' }) latestOfflineEnd: string;
  @ApiProperty({ example: '21:00' }) @Matches(HH_MM, { message: 'latestOnlineEnd must be a time HH:MM' }) latestOnlineEnd: string;

  @ApiPropertyOptional({ type: RiskThresholdsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => RiskThresholdsDto)
  riskThresholds?: RiskThresholdsDto;

  @ApiPropertyOptional({ example: false, description: '双减: whether new subject-category licences are granted; left out, unchanged (default false)' })
  @IsOptional()
  @IsBoolean()
  subjectApprovalsOpen?: boolean;

  @ApiPropertyOptional({
    example: 0.1,
    description: 'how far a price may exceed the prorated guided price, a fraction with at most 4 decimals; left out, unchanged',
  })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false }, { message: 'guidedPriceMargin must be a fraction with at most 4 decimals' })
  @Min(0)
  @Max(1)
  guidedPriceMargin?: number;

  @ApiPropertyOptional({ example: 12, description: 'months after a teacher’s background check from which STAFF_UNCHECKED fires; left out, unchanged' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  backgroundCheckMonths?: number;

  @ApiPropertyOptional({ example: 10, description: 'working days a complaint may wait for handling before it is overdue; left out, unchanged' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60)
  complaintWorkingDays?: number;
}

/** The district's policy as in force: its saved one, or the defaults; every risk threshold given. */
export class DistrictPolicyAnswerDto extends OmitType(DistrictPolicyDto, [
  'riskThresholds',
  'subjectApprovalsOpen',
  'guidedPriceMargin',
  'backgroundCheckMonths',
  'complaintWorkingDays',
]) {
  @ApiProperty({ type: RiskThresholdsDto }) riskThresholds: RiskThresholdsDto;
  @ApiProperty({ example: false }) subjectApprovalsOpen: boolean;
  @ApiProperty({ example: 0.1 }) guidedPriceMargin: number;
  @ApiProperty({ example: 12 }) backgroundCheckMonths: number;
  @ApiProperty({ example: 10 }) complaintWorkingDays: number;
}

export function toPolicy(
  {
    retentionRate,
    guidedPrices,
    riskThresholds,
    subjectApprovalsOpen,
    guidedPriceMargin,
    backgroundCheckMonths,
    complaintWorkingDays,
    ...rest
  }: DistrictPolicyDto,
  current: DistrictPolicy,
): DistrictPolicy {
  return {
    ...rest,
    subjectApprovalsOpen: subjectApprovalsOpen ?? current.subjectApprovalsOpen,
    guidedPriceMarginBp: guidedPriceMargin === undefined ? current.guidedPriceMarginBp : Math.round(guidedPriceMargin * 10_000),
    backgroundCheckMonths: backgroundCheckMonths ?? current.backgroundCheckMonths,
    complaintWorkingDays: complaintWorkingDays ?? current.complaintWorkingDays,
    retentionRateBp: Math.round(retentionRate * 10_000),
    guidedPrices: { ...guidedPrices },
    riskThresholds: { ...current.riskThresholds, ...riskThresholds },
  };
}

export function fromPolicy({ retentionRateBp, guidedPriceMarginBp, ...rest }: DistrictPolicy): DistrictPolicyAnswerDto {
  return { ...rest, retentionRate: retentionRateBp / 10_000, guidedPriceMargin: guidedPriceMarginBp / 10_000 };
}
