import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public, notFound } from '@app/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { MetricsService } from './metrics.service';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Prometheus text format, for scrapers on the same host only. */
@ApiExcludeController()
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  async scrape(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) throw notFound('This page');
    reply.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
