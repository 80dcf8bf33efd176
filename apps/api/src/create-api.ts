import { NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Environment, ROOT_LOGGER, createValidationPipe } from '@app/core';
import { Logger } from 'nestjs-pino';
import { ApiModule } from './api.module';
import { logRequests } from './http/access-log';
import { createHttpAdapter } from './http/fastify-adapter';
import { closeGracefully } from './http/graceful-close';
import { acceptJsonBodies } from './http/json-body';
import { trackRequests } from './http/request-context';
import { sendSecurityHeaders } from './http/security-headers';
import { setupOpenApi } from './openapi/openapi-document';
import { measureRequests } from './operations/http-metrics';
import { MetricsService } from './operations/metrics.service';
import { mountQueueDashboard } from './operations/queue-dashboard';

/** The API as an application on Fastify, set up and not yet listening; shared by main.ts, npm start, the tests and the benches. */
export async function createApi(environment: Environment, options: NestApplicationOptions = {}): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(environment), createHttpAdapter(), { ...options, bodyParser: false });
  return configureApp(app);
}

/** Everything an API process sets up around its modules, in the order a request meets it. */
async function configureApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  trackRequests(fastify);
  closeGracefully(fastify);
  sendSecurityHeaders(fastify);
  acceptJsonBodies(fastify);
  logRequests(fastify, app.get(ROOT_LOGGER));
  measureRequests(fastify, app.get(MetricsService));
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  setupOpenApi(app);
  await mountQueueDashboard(app);
  return app;
}
