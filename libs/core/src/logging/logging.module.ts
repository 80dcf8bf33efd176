import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Environment } from '../config/environment';
import { maskPhonesInText } from '../privacy/mask';

/** Masks every mainland mobile number in whatever is logged, however deep it sits. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhonesInText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1));
  if (value instanceof Error) return { type: value.name, message: maskPhonesInText(value.message), stack: value.stack };
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskDeep(item, depth + 1)]));
}

export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
}

/** Structured JSON logs (pino) with request ids; credentials redacted, phone numbers masked. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [Environment],
      useFactory: (environment: Environment) => ({
        pinoHttp: {
          level: environment.LOG_LEVEL,
          genReqId: (request, response) => {
            const id = (request as IncomingMessage & { id?: string }).id ?? requestIdOf(request);
            response.setHeader('x-request-id', id);
            return id;
          },
          redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.password', '*.apiKey', '*.accessToken'],
          formatters: { log: (object: Record<string, unknown>) => maskDeep(object) as Record<string, unknown> },
          autoLogging: { ignore: (request) => (request.url ?? '').startsWith('/health') || request.url === '/metrics' },
          serializers: {
            req: (request: { id: string; method: string; url: string }) => ({ id: request.id, method: request.method, url: maskPhonesInText(request.url) }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
