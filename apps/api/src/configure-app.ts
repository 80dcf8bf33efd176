import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { RequestContext, createValidationPipe, requestIdOf } from '@app/core';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { mountQueueDashboard } from './operations/queue-dashboard';

/** Everything an API process sets up around its modules; shared by main.ts and the e2e tests. */
export function configureApp(app: NestExpressApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple'); // ?a[b]=c stays a string: no nested objects from the query
  app.use((request: Request & { id?: string }, _response: Response, next: NextFunction) => {
    request.id = requestIdOf(request);
    RequestContext.run(request.id, next);
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          // helmet's default upgrade-insecure-requests makes a browser fetch the pages' own scripts and
          // styles over https: on plain http (npm start, a LAN address) the pages would load bare.
          // TLS, where there is any, is the reverse proxy's to enforce (HSTS), not this header's.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.useBodyParser('json', { limit: '256kb' });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Off-campus training supervision platform')
      .setDescription(
        'Licensing, escrow of prepaid tuition (rolling transfer), risk and reduction tracking. Errors are application/problem+json with a `code`.',
      )
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'bank')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  mountQueueDashboard(app);
  return app;
}
