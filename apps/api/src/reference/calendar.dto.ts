import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, Matches } from 'class-validator';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class CalendarYearDto {
  @ApiProperty({ type: [String], example: ['2026-10-01'] })
  @IsArray()
  @ArrayMaxSize(366)
  @Matches(DATE, { each: true, message: 'each holiday must be a date YYYY-MM-DD' })
  holidays: string[];

  @ApiProperty({ type: [String], example: ['2026-10-10'] })
  @IsArray()
  @ArrayMaxSize(366)
  @Matches(DATE, { each: true, message: 'each workday must be a date YYYY-MM-DD' })
  workdays: string[];
}

/** A year's calendar as stored (the request's lists sorted, without repeats). */
export class CalendarYearAnswerDto {
  @ApiProperty({ example: 2026 }) year: number;
  @ApiProperty({ type: [String], format: 'date', example: ['2026-10-01'] }) holidays: string[];
  @ApiProperty({ type: [String], format: 'date', example: ['2026-10-10'], description: 'weekend days worked (调休)' }) workdays: string[];
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}
