import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min, ValidateBy, ValidationOptions } from 'class-validator';
import { assertCalendarDate } from '@app/core';

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
