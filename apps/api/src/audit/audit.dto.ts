import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '../common/page-query.dto';
import { PageOf } from '../common/responses';

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only the entries about this target (an institution, contract, report… id)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  targetId?: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: '1042' }) id: string;
  @ApiProperty({ type: String, format: 'date-time' }) at: Date;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for the platform’s own jobs' }) actorId: string | null;
  @ApiProperty({ enum: ['admin', 'regulator', 'institution', 'parent', 'bank', 'system'] }) actorRole: string;
  @ApiProperty({ example: 'institution.approve' }) action: string;
  @ApiProperty({ example: 'institution' }) targetType: string;
  @ApiProperty() targetId: string;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the x-request-id of the request that made the change' }) requestId: string | null;
  @ApiProperty({ type: String, nullable: true, example: '430104' }) districtCode: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'what changed: amounts, states, references' }) details: Record<string, unknown>;
}

export class AuditPageDto extends PageOf(AuditEntryDto) {}
