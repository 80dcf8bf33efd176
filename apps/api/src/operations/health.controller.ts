import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthIndicatorResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '@app/core';
import { ApiProblems } from '../common/responses';
import { LivenessDto, ReadinessDto } from './health.dto';
import { QueueBackendHealthIndicator } from './queue-backend.health';

@ApiTags('Health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
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

  /**
   * Ready to serve when the database answers: it decides (503 otherwise). The queue backend down only
   * degrades the answer (200, `degraded: ["queue"]`): money requests still commit their events to the
   * outbox, which the relay sends once the backend is back (docs/architecture.md, "Faults"), so a load
   * balancer must not take every replica out of rotation for a Redis outage.
   */
  @Get('ready')
  // Documented below like every route, rather than by terminus's own schema; the answer stays uncached.
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ operationId: 'checkReadiness', summary: 'Ready when the database answers; degraded when only the queue backend is down' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiProblems(503)
  async ready(): Promise<ReadinessDto> {
    const [database, queue] = await Promise.all([this.database.pingCheck('database', { timeout: 2000 }), this.queueBackend.check('queue')]);
    const details: HealthIndicatorResult = { ...database, ...queue };
    const withStatus = (status: 'up' | 'down') => Object.fromEntries(Object.entries(details).filter(([, check]) => check.status === status));
    const answer = { info: withStatus('up'), error: withStatus('down'), details };
    if (database.database.status === 'down') throw new ServiceUnavailableException({ status: 'error', ...answer });
    const degraded = queue.queue.status === 'down' ? ['queue'] : [];
    return { status: degraded.length ? 'degraded' : 'ok', degraded, ...answer };
  }
}
