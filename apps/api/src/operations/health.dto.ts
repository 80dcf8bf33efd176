import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { HealthCheckResult, HealthCheckStatus, HealthIndicatorResult } from '@nestjs/terminus';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

const EXAMPLE = { database: { status: 'up' }, queue: { status: 'up', backend: 'redis' } };

/** Terminus's answer: every check by name (database, queue), each with its status (up, down) and details. */
export class ReadinessDto implements HealthCheckResult {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status: HealthCheckStatus;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: EXAMPLE, description: 'the checks that are up' })
  info?: Partial<HealthIndicatorResult>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'the checks that are down' }) error?: Partial<HealthIndicatorResult>;
  @ApiProperty({ type: 'object', additionalProperties: true, example: EXAMPLE, description: 'every check' }) details: HealthIndicatorResult;
}
