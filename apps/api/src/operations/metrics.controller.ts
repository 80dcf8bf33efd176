import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public, notFound } from '@app/core';
import type { Request, Response } from 'express';
import { MetricsService } from './metrics.service';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Prometheus text format, for scrapers on the same host only. */
@ApiExcludeController()
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  async scrape(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) throw notFound('This page');
    response.type(this.metrics.registry.contentType).send(await this.metrics.registry.metrics());
  }
}
