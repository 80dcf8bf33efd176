import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { POLICY_FIELDS, PolicyChange, PolicyView, RISK_THRESHOLD_FIELDS, overriddenFields } from '@app/registry';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The API's name of a policy field (a rate as a fraction, not in basis points). */
const API_NAMES: Partial<Record<string, string>> = { retentionRateBp: 'retentionRate', guidedPriceMarginBp: 'guidedPriceMargin' };
const apiName = (field: string): string => API_NAMES[field] ?? field;

/** Null is refused for a band (a band left out has no cap); `guidedPrices: null` inherits the whole map. */
const setBand = ValidateIf((_dto: object, value: unknown) => value !== undefined);

export class GuidedPricesDto {
  @ApiPropertyOptional({ description: 'fen per lesson, classes under 10' })
  @setBand
  @IsInt()
  @Min(1)
  '<10'?: number;

  @ApiPropertyOptional({ description: 'fen per lesson, classes of 10 to 35' })
  @setBand
  @IsInt()
  @Min(1)
  '10-35'?: number;

  @ApiPropertyOptional({ description: 'fen per lesson, classes over 35' })
  @setBand
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

/** The values of a policy, every field given (docs/domain.md, “District policy”): what an answer shows in force. */
export class PolicyValuesDto {
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

  @ApiProperty({ type: GuidedPricesDto, description: 'caps per class size band; a band not given has no cap' })
  @ValidateNested()
  @Type(() => GuidedPricesDto)
  guidedPrices: GuidedPricesDto;

  @ApiProperty({ example: 10 }) @IsInt() @Min(1) @Max(28) reportDueDay: number;
  @ApiProperty({ example: '20:30' }) @Matches(HH_MM, { message: 'latestOfflineEnd must be a time HH:MM' }) latestOfflineEnd: string;
  @ApiProperty({ example: '21:00' }) @Matches(HH_MM, { message: 'latestOnlineEnd must be a time HH:MM' }) latestOnlineEnd: string;

  @ApiProperty({ type: RiskThresholdsDto })
  @ValidateNested()
  @Type(() => RiskThresholdsDto)
  riskThresholds: RiskThresholdsDto;

  @ApiProperty({ example: false, description: '双减: whether new subject-category licences are granted' }) @IsBoolean() subjectApprovalsOpen: boolean;

  @ApiProperty({ example: 0.1, description: 'how far a price may exceed the prorated guided price, a fraction with at most 4 decimals' })
  @IsNumber({ maxDecimalPlaces: 4, allowNaN: false, allowInfinity: false }, { message: 'guidedPriceMargin must be a fraction with at most 4 decimals' })
  @Min(0)
  @Max(1)
  guidedPriceMargin: number;

  @ApiProperty({ example: 12, description: 'months after a teacher’s background check from which STAFF_UNCHECKED fires' })
  @IsInt()
  @Min(1)
  @Max(120)
  backgroundCheckMonths: number;

  @ApiProperty({ example: 10, description: 'working days a complaint may wait for handling before it is overdue' })
  @IsInt()
  @Min(1)
  @Max(60)
  complaintWorkingDays: number;
}

/**
 * Marks the fields of a change DTO nullable in the OpenAPI document: null inherits (class-validator's
 * IsOptional, which PartialType adds, already lets null through the validation).
 */
function nullable(dto: { prototype: object }, fields: readonly string[]): void {
  for (const field of fields) ApiPropertyOptional({ nullable: true })(dto.prototype, field);
}

/** A change of risk thresholds: a threshold left out stays, null inherits, a number overrides. */
export class RiskThresholdsChangeDto extends PartialType(RiskThresholdsDto) {}
nullable(RiskThresholdsChangeDto, RISK_THRESHOLD_FIELDS);

/**
 * A change of a city's or a district's own policy (docs/domain.md, “District policy”): send only the
 * fields that change; a field left out stays as it is, `null` inherits (a district's from its city, a
 * city's from the platform's defaults), a value overrides.
 */
export class DistrictPolicyChangeDto extends PartialType(OmitType(PolicyValuesDto, ['riskThresholds'])) {
  @ApiPropertyOptional({ type: RiskThresholdsChangeDto, nullable: true, description: 'each threshold on its own; null inherits them all' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RiskThresholdsChangeDto)
  riskThresholds?: RiskThresholdsChangeDto | null;
}
nullable(DistrictPolicyChangeDto, POLICY_FIELDS.map(apiName));

/** The policy in force in a city or a district, and which of its fields it sets itself. */
export class DistrictPolicyAnswerDto extends PolicyValuesDto {
  @ApiProperty({ example: '430104', description: 'the district’s or the city’s code' }) districtCode: string;
  @ApiProperty({ enum: ['city', 'district'], description: 'a city (XXXX00) holds the defaults its districts inherit' }) level: 'city' | 'district';

  @ApiProperty({
    type: String,
    nullable: true,
    example: '430100',
    description: 'the city whose policy fills what the district does not set; null for a city (the platform’s defaults fill it)',
  })
  inheritsFrom: string | null;

  @ApiProperty({
    type: [String],
    example: ['settlementCycle', 'riskThresholds.stalledDays'],
    description: 'the fields this city or district sets itself (a risk threshold as riskThresholds.<name>); every other field is inherited',
  })
  overrides: string[];
}

const fraction = (value: number | null | undefined) => (value === undefined || value === null ? value : Math.round(value * 10_000));

export function toPolicyChange({ retentionRate, guidedPriceMargin, guidedPrices, riskThresholds, ...rest }: DistrictPolicyChangeDto): PolicyChange {
  // Only the fields sent: the DTO's declared fields are undefined when left out.
  const change: PolicyChange = Object.fromEntries(Object.entries({ ...rest }).filter(([, value]) => value !== undefined));
  if (retentionRate !== undefined) change.retentionRateBp = fraction(retentionRate);
  if (guidedPriceMargin !== undefined) change.guidedPriceMarginBp = fraction(guidedPriceMargin);
  if (guidedPrices !== undefined) change.guidedPrices = guidedPrices && Object.fromEntries(Object.entries(guidedPrices).filter(([, cap]) => cap !== undefined));
  if (riskThresholds !== undefined) change.riskThresholds = riskThresholds && { ...riskThresholds };
  return change;
}

export function fromPolicyView({
  code,
  level,
  inheritsFrom,
  own,
  effective: { retentionRateBp, guidedPriceMarginBp, ...rest },
}: PolicyView): DistrictPolicyAnswerDto {
  return {
    ...rest,
    retentionRate: retentionRateBp / 10_000,
    guidedPriceMargin: guidedPriceMarginBp / 10_000,
    districtCode: code,
    level,
    inheritsFrom,
    overrides: overriddenFields(own).map(apiName),
  };
}
