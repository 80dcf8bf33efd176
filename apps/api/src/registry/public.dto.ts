import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Delivery, INSTITUTION_STATUSES, InstitutionCategory, InstitutionStatus, PublicList, RiskLevel, SIZE_BANDS, SizeBand } from '@app/registry';
import { PageQueryDto } from '../common/page-query.dto';
import { PageOf } from '../common/responses';

export class PublicSearchDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'a name (fuzzy, Chinese), a licence number or a unified social credit code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' })
  districtCode?: string;

  @ApiPropertyOptional({ enum: ['subject', 'non_subject'] })
  @IsOptional()
  @IsIn(['subject', 'non_subject'])
  category?: 'subject' | 'non_subject';
}

export class PublicLicenceDto {
  @ApiProperty({ type: String, nullable: true, example: '430104-2026-00017' }) number: string | null;
  @ApiProperty({ enum: INSTITUTION_STATUSES }) status: InstitutionStatus;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'the last day of validity' }) validUntil: string | null;
}

export class PublicLicenceDetailDto extends PublicLicenceDto {
  @ApiProperty({ type: String, format: 'date', nullable: true }) validFrom: string | null;
}

/** An institution of the register, as anyone may see it. */
export class PublicInstitutionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '新东方培训学校岳麓校区' }) name: string;
  @ApiProperty({ example: '52430104MJJ000017A' }) uscc: string;
  @ApiProperty({ example: '430104' }) districtCode: string;
  @ApiProperty({ enum: ['subject', 'non_subject'] }) category: InstitutionCategory;
  @ApiProperty({ enum: ['offline', 'online'] }) delivery: Delivery;
  @ApiProperty({
    enum: ['white', 'grey', 'black'],
    nullable: true,
    description:
      'white: licensed and in good standing; grey: enrolment stopped, suspended, expiring, frozen or at red risk; black: no longer licensed, do not pay; none for an institution closed at its own request',
  })
  list: PublicList | null;
  @ApiProperty({ type: PublicLicenceDto }) licence: PublicLicenceDto;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) riskLevel: RiskLevel;
}

/** A name parents reported as operating without a licence (the black-list watch). */
export class ReportedUnlicensedDto {
  @ApiProperty({ example: '无证黑机构培训班' }) name: string;
  @ApiProperty({ example: '430104' }) districtCode: string;
  @ApiProperty({ example: 2 }) reports: number;
  @ApiProperty({ type: String, format: 'date-time' }) lastReportedAt: Date;
  @ApiProperty({ enum: ['black'] }) list: 'black';
}

export class PublicSearchAnswerDto extends PageOf(PublicInstitutionDto) {
  @ApiPropertyOptional({ example: 'Not found in the register: treat as unlicensed.', description: 'present when a query found nothing' })
  notice?: string;
  @ApiPropertyOptional({ type: [ReportedUnlicensedDto], description: 'present when there is a query' }) reportedUnlicensed?: ReportedUnlicensedDto[];
}

export class PublicCourseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '初中数学提高班' }) name: string;
  @ApiProperty({ example: '数学' }) subject: string;
  @ApiProperty({ enum: SIZE_BANDS }) sizeBand: SizeBand;
  @ApiProperty({ example: 45 }) lessonMinutes: number;
  @ApiProperty({ example: 8000, description: 'price of one lesson in fen' }) lessonPriceFen: number;
}

export class PublicTeacherDto {
  @ApiProperty({ example: '李老师' }) name: string;
  @ApiProperty() fullTime: boolean;
  @ApiProperty({ description: 'holds a teacher qualification certificate (教师资格证)' }) qualified: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '20194300000000001',
    description: '教师资格证 number in full (the rules say to publish it: docs/domain.md, "Courses and teachers"); null for a teacher without one',
  })
  qualificationNo: string | null;
  @ApiProperty({ type: [String], example: ['数学'] }) subjects: string[];
}

export class PublicInstitutionDetailDto extends OmitType(PublicInstitutionDto, ['licence']) {
  @ApiProperty({ type: PublicLicenceDetailDto }) licence: PublicLicenceDetailDto;
  @ApiProperty() address: string;
  @ApiProperty({ type: [PublicCourseDto] }) courses: PublicCourseDto[];
  @ApiProperty({ type: [PublicTeacherDto] }) teachers: PublicTeacherDto[];
  @ApiProperty({ description: 'whether its prepaid tuition is held in supervised escrow now (licensed or suspended)' }) escrowSupervised: boolean;
  @ApiProperty({ example: 0, description: 'complaints in the last 12 months, dismissed ones aside' }) complaintsLast12Months: number;
}
