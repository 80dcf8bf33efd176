import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, notFound } from '@app/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiProblems } from '../common/responses';
import { MetricsService } from './metrics.service';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Prometheus text format, for scrapers on the same host only. */
@ApiTags('Health')
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @ApiOperation({ operationId: 'scrapeMetrics', summary: 'Prometheus metrics (HTTP latency, queue depths, the process), for a scraper on the same host' })
  @ApiOkResponse({ description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiProblems(404)
  async scrape(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) throw notFound('This page');
    reply.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
