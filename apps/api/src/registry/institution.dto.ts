import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { INSTITUTION_STATUSES, InstitutionStatus } from '@app/registry';
import { PageQueryDto } from '../common/page-query.dto';

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
