import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SIZE_BANDS, SizeBand } from '@app/registry';

export class NewCourseDto {
  @ApiProperty({ example: '初中数学提高班' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '数学' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(30)
  subject: string;

  @ApiProperty({ enum: SIZE_BANDS })
  @IsIn(SIZE_BANDS)
  sizeBand: SizeBand;

  @ApiProperty({ example: 45, description: 'at most 45 offline, 30 online' })
  @IsInt()
  @Min(10)
  @Max(240)
  lessonMinutes: number;

  @ApiProperty({ example: 8000, description: 'price of one lesson in fen' })
  @IsInt()
  @Min(1)
  @Max(100_000_00)
  lessonPriceFen: number;
}

export class NewTeacherDto {
  @ApiProperty({ example: '李老师' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  name: string;

  @ApiProperty()
  @IsBoolean()
  fullTime: boolean;

  @ApiPropertyOptional({ example: '20194300012345678', description: '教师资格证 number; required for subject-training institutions' })
  @IsOptional()
  @Matches(/^[0-9A-Za-z-]{6,30}$/, { message: 'qualificationNo must be 6-30 letters, digits or -' })
  qualificationNo?: string;

  @ApiProperty({ type: [String], example: ['数学'] })
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @MaxLength(30, { each: true })
  subjects: string[];
}
