import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { assertCalendarDate } from '@app/core';
import { REDUCTION_SERIES } from '@app/oversight';

const DISTRICT = /^\d{6}$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused here, not by the database). */
function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            assertCalendarDate(value);
            return true;
          } catch {
            return false;
          }
        },
        defaultMessage: (args) => `${args?.property} must be a date YYYY-MM-DD`,
      },
    },
    options,
  );
}

export class BaselineDto {
  @ApiProperty({ example: '430104' }) @Matches(DISTRICT, { message: 'districtCode must be six digits' }) districtCode: string;
  @ApiProperty({ example: '2021-07-24', description: 'the date the baseline figures describe' }) @IsCalendarDate() date: string;
  @ApiProperty({ example: 1000, description: 'subject institutions operating offline' }) @IsInt() @Min(0) @Max(10_000_000) subjectOffline: number;
  @ApiProperty({ example: 234, description: 'subject institutions operating online' }) @IsInt() @Min(0) @Max(10_000_000) subjectOnline: number;
  @ApiProperty({ example: 15600, description: 'pupils in off-campus training' }) @IsInt() @Min(0) @Max(100_000_000) students: number;
}

export class ReductionQueryDto {
  @ApiPropertyOptional({ example: '430104', description: 'a district, or a city (XXXX00) for the sum of its districts; default: the caller’s scope' })
  @IsOptional()
  @Matches(DISTRICT, { message: 'districtCode must be six digits' })
  districtCode?: string;

  @ApiPropertyOptional({ example: '2026-09-01', description: 'default: 89 days before to' }) @IsOptional() @IsCalendarDate() from?: string;
  @ApiPropertyOptional({ example: '2026-11-30', description: 'default: today (Asia/Shanghai)' }) @IsOptional() @IsCalendarDate() to?: string;
}

export class PublicReductionQueryDto {
  @ApiProperty({ example: '430104', description: 'a district, or a city (XXXX00)' })
  @Matches(DISTRICT, { message: 'districtCode must be six digits' })
  districtCode: string;
}

const date = (description?: string) => ApiProperty({ type: String, format: 'date', example: '2026-11-30', description });
const count = (description: string) => ApiProperty({ type: 'integer', example: 1000, minimum: 0, description });

/** A district's baseline as saved. */
export class SavedBaselineDto {
  @ApiProperty({ example: '430104' }) districtCode: string;
  @date('the date the baseline figures describe') date: string;
  @count('subject institutions operating offline') subjectOffline: number;
  @count('subject institutions operating online') subjectOnline: number;
  @count('pupils in off-campus training') students: number;
  @count('offline + online') subjectInstitutions: number;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

/** The baseline of a district, or the sum of a city's districts' baselines. */
export class AreaBaselineDto {
  @date('the earliest of the districts’ baseline dates') date: string;
  @count('subject institutions operating offline') subjectOffline: number;
  @count('subject institutions operating online') subjectOnline: number;
  @count('pupils in off-campus training') students: number;
  @count('offline + online') subjectInstitutions: number;
  @ApiProperty({ type: [String], example: ['430104'], description: 'the districts that have a baseline' }) districts: string[];
}

/** The snapshots of one date, summed over the area's districts. */
export class SnapshotSumsDto {
  @date() date: string;
  @count('subject institutions operating offline (licensed)') subjectOffline: number;
  @count('subject institutions operating online (licensed)') subjectOnline: number;
  @count('pupils with an active contract') students: number;
  @count('offline + online') subjectInstitutions: number;
  @ApiProperty({ type: 'integer', example: 1, description: 'how many districts had a snapshot that day' }) districts: number;
}

export class ReductionRateDto {
  @ApiProperty({ example: 'subject institutions' }) label: string;
  @ApiProperty({ type: 'integer', example: 1234 }) baseline: number;
  @ApiProperty({ type: 'integer', example: 185 }) current: number;
  @ApiProperty({ type: Number, nullable: true, example: -0.85, description: '(current − baseline) / baseline, 4 decimals; null against a zero baseline' })
  rate: number | null;
  @ApiProperty({ example: '1,234 → 185 (−85.0%)' }) display: string;
}

/** Each series against the baseline, over the districts that have one. */
export class ReductionRatesDto {
  @date('the snapshot compared') date: string;
  @ApiProperty({ type: [String], example: ['430104'] }) districts: string[];
  @ApiProperty({ type: ReductionRateDto }) subjectInstitutions: ReductionRateDto;
  @ApiProperty({ type: ReductionRateDto }) subjectOffline: ReductionRateDto;
  @ApiProperty({ type: ReductionRateDto }) subjectOnline: ReductionRateDto;
  @ApiProperty({ type: ReductionRateDto }) students: ReductionRateDto;
}

/** Baseline, latest snapshot and rates of a district, or summed over a city's districts. */
export class ReductionFiguresDto {
  @ApiProperty({ example: '430104' }) districtCode: string;
  @ApiProperty({ example: '岳麓区' }) name: string;
  @ApiProperty({ example: 'Yuelu' }) nameEn: string;
  @ApiProperty({ enum: ['district', 'city'] }) level: 'district' | 'city';
  @ApiProperty({ type: [String], example: ['430104'], description: 'the served districts the figures cover' }) districts: string[];
  @ApiProperty({ type: AreaBaselineDto, nullable: true }) baseline: AreaBaselineDto | null;
  @ApiProperty({ type: SnapshotSumsDto, nullable: true }) latest: SnapshotSumsDto | null;
  @ApiProperty({ type: ReductionRatesDto, nullable: true, description: `series: ${REDUCTION_SERIES.join(', ')}` }) rates: ReductionRatesDto | null;
}

export class ReductionSeriesDto extends ReductionFiguresDto {
  @date() from: string;
  @date() to: string;
  @ApiProperty({ type: [SnapshotSumsDto], description: 'one per day that has snapshots, oldest first' }) snapshots: SnapshotSumsDto[];
}
