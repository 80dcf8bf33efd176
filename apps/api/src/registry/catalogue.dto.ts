import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { InstitutionCategory, SIZE_BANDS, SizeBand } from '@app/registry';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

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

  @ApiPropertyOptional({
    example: '2026-11-20',
    format: 'date',
    description: 'date of the no-criminal-record check (无犯罪记录查询); without one, STAFF_UNCHECKED fires',
  })
  @IsOptional()
  @Matches(DATE, { message: 'backgroundCheckedAt must be a date YYYY-MM-DD' })
  backgroundCheckedAt?: string;
}

export class CourseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ example: '初中数学提高班' }) name: string;
  @ApiProperty({ example: '数学' }) subject: string;
  @ApiProperty({ enum: ['subject', 'non_subject'], description: 'the institution’s category when the course was filed' }) category: InstitutionCategory;
  @ApiProperty({ enum: SIZE_BANDS }) sizeBand: SizeBand;
  @ApiProperty({ example: 45 }) lessonMinutes: number;
  @ApiProperty({ example: 8000, description: 'price of one lesson in fen' }) lessonPriceFen: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class TeacherDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ example: '李老师' }) name: string;
  @ApiProperty() fullTime: boolean;
  @ApiProperty({ type: String, nullable: true, example: '2019***********78', description: '教师资格证 number, masked' }) qualificationNo: string | null;
  @ApiProperty({ type: [String], example: ['数学'] }) subjects: string[];
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'date of the no-criminal-record check' }) backgroundCheckedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

/** One entry of the closed national list of training subjects. */
export class SubjectDto {
  @ApiProperty({ example: 'mathematics' }) code: string;
  @ApiProperty({ example: '数学', description: 'what a course’s `subject` holds' }) name: string;
  @ApiProperty({ enum: ['subject', 'non_subject'] }) category: InstitutionCategory;
}

export class SubjectListDto {
  @ApiProperty({ type: [SubjectDto] }) items: SubjectDto[];
}
