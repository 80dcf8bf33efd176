import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@app/core';
import { ApiProblems } from '../common/responses';
import { LivenessDto, ReadinessDto } from './health.dto';
import { QueueBackendHealthIndicator } from './queue-backend.health';

@ApiTags('Health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly queueBackend: QueueBackendHealthIndicator,
  ) {}

  /** The process is up; says nothing about its dependencies. */
  @Get('live')
  @ApiOperation({ operationId: 'checkLiveness', summary: 'The process is up (its dependencies are not checked)' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  /** Ready to serve: the database and the queue backend both answer in time (503 otherwise). */
  @Get('ready')
  // Documented below like every route, rather than by terminus's own schema; the answer stays uncached.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ operationId: 'checkReadiness', summary: 'The database and the queue backend answer in time' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiProblems(503)
  ready(): Promise<ReadinessDto> {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), () => this.queueBackend.check('queue')]);
  }
}
