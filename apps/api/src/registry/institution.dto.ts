import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Delivery, INSTITUTION_STATUSES, InstitutionCategory, InstitutionStatus, RiskLevel } from '@app/registry';
import { BooleanQueryField } from '../common/fields';
import { PageQueryDto } from '../common/page-query.dto';
import { PageOf } from '../common/responses';
import { CourseDto, TeacherDto } from './catalogue.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class NewInstitutionDto {
  @ApiProperty({ example: '星辰教育培训学校' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '52430104MJJ000017A', description: 'unified social credit code, GB 32100-2015 (checked: 422 INSTITUTION.INVALID_USCC)' })
  @IsString()
  @MaxLength(30)
  uscc: string;

  @ApiProperty({ example: '430104' })
  @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' })
  districtCode: string;

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  address: string;

  @ApiProperty({ enum: ['subject', 'non_subject'] })
  @IsIn(['subject', 'non_subject'])
  category: 'subject' | 'non_subject';

  @ApiProperty({ enum: ['offline', 'online'] })
  @IsIn(['offline', 'online'])
  delivery: 'offline' | 'online';

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  legalRepresentative: string;

  @ApiProperty({ minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  premisesAreaM2: number;

  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(100_000)
  capacity: number;

  @ApiProperty({ example: '0731-88881234' })
  @Matches(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, { message: 'phone must be a mobile number or a landline such as 0731-88881234' })
  phone: string;
}

export class InstitutionChangesDto extends PartialType(NewInstitutionDto) {}

export class InstitutionQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: INSTITUTION_STATUSES })
  @IsOptional()
  @IsIn(INSTITUTION_STATUSES)
  status?: InstitutionStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' })
  districtCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @BooleanQueryField('renewalPending', 'only institutions whose renewal awaits a decision (the renewal queue)')
  renewalPending?: boolean;
}

export class ReasonDto {
  @ApiProperty({ example: '现场检查发现消防隐患' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class ReviewDto extends ReasonDto {
  @ApiProperty({ enum: ['approve', 'return', 'reject'] })
  @IsIn(['approve', 'return', 'reject'])
  decision: 'approve' | 'return' | 'reject';

  @ApiPropertyOptional({ minimum: 1, maximum: 5, default: 3 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(5)
  validYears?: number;
}

export class RenewDto extends ReasonDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 5, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  validYears?: number;
}

export class RenewalApplicationDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 5, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  validYears?: number;
}

export class RenewalReviewDto extends ReasonDto {
  @ApiProperty({ enum: ['approve', 'reject'] })
  @IsIn(['approve', 'reject'])
  decision: 'approve' | 'reject';
}

/** An institution as its owner and its regulators see it. */
export class InstitutionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid', description: 'the institution account that filed it' }) ownerUserId: string;
  @ApiProperty({ example: '星辰教育培训学校' }) name: string;
  @ApiProperty({ example: '52430104MJJ000017A' }) uscc: string;
  @ApiProperty({ example: '430104' }) districtCode: string;
  @ApiProperty() address: string;
  @ApiProperty({ enum: ['subject', 'non_subject'] }) category: InstitutionCategory;
  @ApiProperty({ enum: ['offline', 'online'] }) delivery: Delivery;
  @ApiProperty() legalRepresentative: string;
  @ApiProperty() premisesAreaM2: number;
  @ApiProperty() capacity: number;
  @ApiProperty({ example: '0731-88881234' }) phone: string;
  @ApiProperty({ enum: INSTITUTION_STATUSES }) status: InstitutionStatus;
  @ApiProperty({ description: 'funds frozen by a regulator: lessons still accrue, settlements pay nothing' }) frozen: boolean;
  @ApiProperty({ enum: ['green', 'yellow', 'red'] }) riskLevel: RiskLevel;
  @ApiProperty({ type: String, nullable: true, example: '430104-2026-00017' }) licenceNumber: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) licenceValidFrom: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'the last day of validity' }) licenceValidUntil: string | null;
  @ApiProperty({ description: 'closed by the regulator’s order (black), not at the institution’s own request' }) closedByOrder: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the renewal awaiting a decision was applied for' })
  renewalAppliedAt: Date | null;
  @ApiProperty({ type: Number, nullable: true, description: 'the years of the renewal awaiting a decision' }) renewalValidYears: number | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class InstitutionPageDto extends PageOf(InstitutionDto) {}

export class LicenceDto {
  @ApiProperty({ type: String, nullable: true, example: '430104-2026-00017' }) number: string | null;
  @ApiProperty({ enum: INSTITUTION_STATUSES }) status: InstitutionStatus;
  @ApiProperty({ type: String, format: 'date', nullable: true }) validFrom: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) validUntil: string | null;
}

/** One step of the licence history. */
export class InstitutionEventDto {
  @ApiProperty({ example: 42 }) id: number;
  @ApiProperty({ format: 'uuid' }) institutionId: string;
  @ApiProperty({ example: 'approve', description: 'create, or a licence action (submit, approve, freeze…)' }) action: string;
  @ApiProperty({ enum: INSTITUTION_STATUSES }) fromStatus: InstitutionStatus;
  @ApiProperty({ enum: INSTITUTION_STATUSES }) toStatus: InstitutionStatus;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for the platform’s own jobs' }) actorId: string | null;
  @ApiProperty({ example: 'regulator' }) actorRole: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) at: Date;
}

/** The whole record: the institution, its licence, its history and its catalogue. */
export class InstitutionRecordDto extends InstitutionDto {
  @ApiProperty({ type: LicenceDto }) licence: LicenceDto;
  @ApiProperty({ type: [InstitutionEventDto], description: 'oldest first' }) history: InstitutionEventDto[];
  @ApiProperty({ type: [CourseDto] }) courses: CourseDto[];
  @ApiProperty({ type: [TeacherDto] }) teachers: TeacherDto[];
}
