import { INestApplication, Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { NestFactory } from '@nestjs/core';
import { NestContainer } from '@nestjs/core/injector/container';
import { ApiExtension, DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PUBLIC_KEY, ROLES_KEY, Role, validateEnvironment } from '@app/core';
import { ApiModule } from '../api.module';
import { createHttpAdapter } from '../http/fastify-adapter';

/**
 * The OpenAPI document's global settings, in one place for the running API (/api/docs, /api/docs-json)
 * and for `npm run openapi` (docs/openapi.json, the typed client). Per-route pieces (answers, refusals,
 * operationIds) live on the routes (docs/decisions.md, "Answers").
 */

/** Every tag a controller uses, with its description; redocly's `operation-tag-defined` refuses a tag missing here. */
export const API_TAGS = [
  {
    name: 'Accounts',
    description:
      'Logging in, registering parents and institution accounts, the caller’s profile and notifications; regulators and bank clients are created by the admin.',
  },
  { name: 'Reference data', description: 'Districts the platform serves, the national divisions (GB/T 2260) and the working-day calendar.' },
  {
    name: 'Registry',
    description: 'Institutions, their licence life cycle (submit, review, renew, suspend, revoke, close…), courses, teachers and district policy.',
  },
  {
    name: 'Public',
    description:
      'What parents check before paying, without logging in: the white/grey/black register, licence verification and reduction figures. Rate-limited per client address.',
  },
  {
    name: 'Tuition and ledger',
    description:
      'Contracts within the prepaid limits, payments into escrow, lessons and their confirmation, refunds, settlements (rolling transfer) and the ledger’s invariant check. Money moves only with an `Idempotency-Key`.',
  },
  { name: 'Bank', description: 'The escrow bank’s side, with its `X-Api-Key`: statement lines in, payout instructions out and their acknowledgement.' },
  { name: 'Oversight', description: 'Risk flags and alerts, complaints, monthly reports and their review, reduction baselines and series.' },
  { name: 'Audit', description: 'The append-only audit log of regulator actions and money movements.' },
  { name: 'Health', description: 'Liveness and readiness probes for the orchestrator.' },
  { name: 'Operations', description: 'The admin’s operations tools: one-time codes that open the queue dashboard (/admin/queues).' },
];

export const BEARER_SCHEME = 'bearer';
export const BANK_SCHEME = 'bank';

/** The document's root: info, servers, tags and security schemes. */
export function openApiSettings(): Omit<OpenAPIObject, 'paths'> {
  const builder = new DocumentBuilder()
    .setTitle('Off-campus training supervision platform')
    .setDescription(
      [
        'Licensing, escrow of prepaid tuition (rolling transfer), risk and reduction tracking.',
        '',
        'Errors are `application/problem+json` (RFC 9457) with a machine-readable `code`. People authenticate with a bearer token',
        'from `POST /api/v1/auth/login`; the escrow bank with its `X-Api-Key`. Requests that move money need an `Idempotency-Key`.',
      ].join('\n'),
    )
    .setVersion('1')
    // offcampus.example is the platform's placeholder domain (as in the problem `type` URIs): an operator sets its own.
    .setContact('Platform operations', 'https://offcampus.example/support', 'platform@offcampus.example')
    .setLicense('Proprietary: all rights reserved', 'https://offcampus.example/terms')
    // Relative: the API answers on the origin that serves these docs (npm start, a replica behind a proxy).
    .addServer('/', 'The origin serving this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from `POST /api/v1/auth/login`.' }, BEARER_SCHEME)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The escrow bank’s API key (created by the admin).' }, BANK_SCHEME);
  for (const tag of API_TAGS) builder.addTag(tag.name, tag.description);
  return builder.build();
}

/** The document of an application's routes, with the global settings and the access rules of AccessGuard. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  markAccessRules(app);
  const document = SwaggerModule.createDocument(app, openApiSettings());
  applyAccessRules(document);
  return document;
}

/** Serves the document at /api/docs (Swagger UI) and /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
}

/**
 * The document without a database, Redis or a port: Nest in preview mode registers the modules and
 * their routes but instantiates nothing, so no connection is opened. `npm run openapi` and the drift
 * check of `npm test` use it; the e2e tests compare it with what a running API serves.
 */
export async function buildOpenApiDocumentOffline(): Promise<OpenAPIObject> {
  // Never connected to: preview mode creates no provider. The values only pass validation.
  const environment = validateEnvironment({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgres://openapi@127.0.0.1:1/unused',
    REDIS_URL: 'redis://127.0.0.1:1',
    JWT_SECRET: 'openapi-document-build-never-signs-anything',
    LOG_LEVEL: 'silent',
    ENABLE_SCHEDULERS: 'false',
  });
  const app = await NestFactory.create(ApiModule.forRoot(environment), createHttpAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

const ACCESS_EXTENSION = 'x-access-rule';
type AccessRule = { public: true } | { roles: Role[] } | { none: true };

/**
 * Marks each route with AccessGuard's rule for it (@Public() or @Roles(), the method's over the
 * controller's), so that applyAccessRules can state it in the document: the guard is deny-by-default,
 * and a public route must say `security: []` or the document claims nothing about it.
 */
function markAccessRules(app: INestApplication): void {
  for (const controller of controllersOf(app)) {
    for (const name of methodNames(controller.prototype)) {
      const method = (controller.prototype as Record<string, unknown>)[name];
      if (typeof method !== 'function' || Reflect.getMetadata(PATH_METADATA, method) === undefined) continue;
      const isPublic = (Reflect.getMetadata(PUBLIC_KEY, method) ?? Reflect.getMetadata(PUBLIC_KEY, controller)) === true;
      const roles: Role[] | undefined = Reflect.getMetadata(ROLES_KEY, method) ?? Reflect.getMetadata(ROLES_KEY, controller);
      const rule: AccessRule = isPublic ? { public: true } : roles ? { roles } : { none: true };
      ApiExtension(ACCESS_EXTENSION, rule)(controller.prototype, name, { value: method });
    }
  }
}

/**
 * A public route gets `security: []`; a route open to roles and declaring no scheme gets the one its
 * callers use (the bank's key for a bank-only route, a bearer token otherwise). Schemes a route declares
 * itself (@ApiBearerAuth(), @ApiSecurity('bank')) stay as they are.
 */
function applyAccessRules(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (!operation || typeof operation !== 'object' || !(ACCESS_EXTENSION in operation)) continue;
      const rule = (operation as Record<string, unknown>)[ACCESS_EXTENSION] as AccessRule;
      delete (operation as Record<string, unknown>)[ACCESS_EXTENSION];
      if (operation.security?.length) continue;
      if ('public' in rule) operation.security = [];
      else if ('roles' in rule) operation.security = [{ [rule.roles.every((role) => role === 'bank') ? BANK_SCHEME : BEARER_SCHEME]: [] }];
    }
  }
}

function controllersOf(app: INestApplication): Type[] {
  // The module graph, as @nestjs/swagger's own scanner reads it (there is no public accessor).
  const container = (app as unknown as { container: NestContainer }).container;
  const controllers = new Set<Type>();
  for (const module of container.getModules().values()) {
    for (const wrapper of module.controllers.values()) if (wrapper.metatype) controllers.add(wrapper.metatype as Type);
  }
  return [...controllers];
}

function methodNames(prototype: object): string[] {
  const names = new Set<string>();
  for (let current = prototype; current && current !== Object.prototype; current = Object.getPrototypeOf(current)) {
    for (const name of Object.getOwnPropertyNames(current)) if (name !== 'constructor') names.add(name);
  }
  return [...names];
}
