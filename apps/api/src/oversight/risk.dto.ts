import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { INSTITUTION_STATUSES, InstitutionStatus } from '@app/registry';
import { PageQueryDto } from '../common/page-query.dto';
import { PageOf } from '../common/responses';

const LEVELS = ['green', 'yellow', 'red'] as const;
const ALERT_STATUSES = ['open', 'resolved'] as const;
const EVIDENCE = { type: 'object', additionalProperties: true, description: 'what the rule saw: counts, amounts, dates, thresholds' } as const;

export class RiskInstitutionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LEVELS }) @IsOptional() @IsIn(LEVELS) level?: (typeof LEVELS)[number];
}

export class AlertsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ALERT_STATUSES }) @IsOptional() @IsIn(ALERT_STATUSES) status?: (typeof ALERT_STATUSES)[number];
}

export class ResolveAlertDto {
  @ApiProperty({ example: '已约谈机构负责人，资金已补足' }) @IsString() @IsNotEmpty() @MaxLength(2000) note: string;
}

export class RiskFlagDto {
  @ApiProperty({ example: 'COMPLAINTS_30D' }) ruleCode: string;
  @ApiProperty({ enum: ['yellow', 'red'] }) severity: 'yellow' | 'red';
  @ApiProperty(EVIDENCE) evidence: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) openedAt: string;
}

export class InstitutionRiskDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '岳麓新东方英语培训学校' }) name: string;
  @ApiProperty({ example: '430104' }) districtCode: string;
  @ApiProperty({ enum: INSTITUTION_STATUSES }) status: InstitutionStatus;
  @ApiProperty({ enum: LEVELS }) level: (typeof LEVELS)[number];
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null until the first evaluation' }) evaluatedAt: Date | null;
  @ApiProperty({ type: [RiskFlagDto], description: 'open flags, oldest first' }) flags: RiskFlagDto[];
}

export class InstitutionRiskPageDto extends PageOf(InstitutionRiskDto) {}

export class AlertDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for a finding about no registered institution' }) institutionId:
    string | null;
  @ApiProperty({ type: String, nullable: true }) institutionName: string | null;
  @ApiProperty({ example: '430104' }) districtCode: string;
  @ApiProperty({ enum: ['risk_red', 'reconciliation', 'money'] }) kind: 'risk_red' | 'reconciliation' | 'money';
  @ApiProperty({ example: 'COMPLAINTS_30D', description: 'the rule, or the red rules comma-separated' }) ruleCode: string;
  @ApiProperty({ enum: ['yellow', 'red'] }) severity: 'yellow' | 'red';
  @ApiProperty(EVIDENCE) evidence: Record<string, unknown>;
  @ApiProperty({ enum: ALERT_STATUSES }) status: (typeof ALERT_STATUSES)[number];
  @ApiProperty({ type: String, nullable: true, description: 'the resolving regulator’s note' }) note: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: Date | null;
}

export class AlertPageDto extends PageOf(AlertDto) {}

export class ResolvedAlertDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ALERT_STATUSES }) status: (typeof ALERT_STATUSES)[number];
  @ApiProperty({ type: String, nullable: true }) note: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: Date | null;
}
