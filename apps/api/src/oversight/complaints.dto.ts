import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES, COMPLAINT_TRANSITIONS, ComplaintAction, ComplaintCategory, ComplaintStatus } from '@app/oversight';
import { PageQueryDto } from '../common/page-query.dto';
import { PageOf } from '../common/responses';

export class NewComplaintDto {
  @ApiPropertyOptional({ description: 'a registered institution' }) @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ description: 'for a name not in the register (with districtCode)' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  institutionName?: string;
  @ApiPropertyOptional({ example: '430104', description: 'where an unregistered institution operates' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'districtCode must be six digits' })
  districtCode?: string;
  @ApiProperty({ enum: COMPLAINT_CATEGORIES }) @IsIn(COMPLAINT_CATEGORIES) category: ComplaintCategory;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) description: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() contractId?: string;
}

export class ComplaintsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES })
  @IsOptional()
  @IsIn(COMPLAINT_STATUSES)
  status?: ComplaintStatus;
}

export class ComplaintTransitionDto {
  @ApiProperty({ enum: Object.keys(COMPLAINT_TRANSITIONS) }) @IsIn(Object.keys(COMPLAINT_TRANSITIONS)) to: ComplaintAction;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) reply: string;
}

export class ComplaintAnswerDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(4000) reply: string;
}

export class ComplaintDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for a name that is not in the register' }) institutionId: string | null;
  @ApiProperty({ example: '岳麓新东方英语培训学校' }) institutionName: string;
  @ApiProperty({ example: '430104' }) districtCode: string;
  @ApiProperty({ enum: COMPLAINT_CATEGORIES }) category: ComplaintCategory;
  @ApiProperty() description: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) contractId: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'set when the complaint was filed for a rejected refund' })
  refundRequestId: string | null;
  @ApiProperty({ enum: COMPLAINT_STATUSES }) status: ComplaintStatus;
  @ApiProperty({ type: String, nullable: true, description: 'the regulator’s latest reply' }) reply: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when a regulator found it true; then it counts in the risk rules' })
  verifiedAt: Date | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2026-12-17', description: 'handling deadline (complaintWorkingDays working days)' })
  dueOn: string | null;
  @ApiProperty({ description: 'the deadline has passed while the complaint awaits a decision' }) overdue: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'the institution’s answer' }) answer: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) answeredAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
}

export class ComplaintPageDto extends PageOf(ComplaintDto) {}
