import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { HealthIndicatorResult } from '@nestjs/terminus';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

const EXAMPLE = { database: { status: 'up' }, queue: { status: 'up', backend: 'redis' } };

/**
 * Every check by name (database, queue), each with its status (up, down) and details, in terminus's
 * shape; `degraded` names the checks that are down without making the API unready (the queue backend).
 */
export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'degraded'], description: '`degraded` while a non-essential dependency is down' }) status: 'ok' | 'degraded';
  @ApiProperty({ type: [String], example: [], description: 'the dependencies that are down though the API serves (`queue`)' }) degraded: string[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: EXAMPLE, description: 'the checks that are up' })
  info?: Partial<HealthIndicatorResult>;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'the checks that are down' }) error?: Partial<HealthIndicatorResult>;
  @ApiProperty({ type: 'object', additionalProperties: true, example: EXAMPLE, description: 'every check' }) details: HealthIndicatorResult;
}
