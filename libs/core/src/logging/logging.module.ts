import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger } from 'pino';
import pretty from 'pino-pretty';
import { Environment } from '../config/environment';
import { RequestContext } from '../context/request-context';
import { maskPhonesInText } from '../privacy/mask';

/** Masks every mainland mobile number in whatever is logged, however deep it sits. */
export function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhonesInText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1));
  if (value instanceof Error) return { type: value.name, message: maskPhonesInText(value.message), stack: value.stack };
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskDeep(item, depth + 1)]));
}

/** The caller's `x-request-id` when it is a sensible token, else a new one. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
}

/** The process's pino logger, for code that writes structured lines itself (the API's access log). */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Whether lines are written for a person (pino-pretty) rather than for a log collector: on a terminal
 * outside production, unless LOG_FORMAT says otherwise. Production always gets JSON lines unless forced.
 */
export function writesPrettyLogs(environment: Pick<Environment, 'LOG_FORMAT' | 'NODE_ENV'>, stdoutIsTerminal: boolean): boolean {
  if (environment.LOG_FORMAT !== 'auto') return environment.LOG_FORMAT === 'pretty';
  return stdoutIsTerminal && environment.NODE_ENV !== 'production';
}

/** pino-pretty in the process (no worker thread): a terminal is for one person watching `npm start`. */
function destinationFor(environment: Environment): DestinationStream | undefined {
  if (!writesPrettyLogs(environment, process.stdout.isTTY === true)) return undefined;
  return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true });
}

/**
 * JSON lines (pino), or readable ones on a terminal (writesPrettyLogs): credentials redacted, mobile numbers masked, and every line written while a
 * request is handled carries its id (`reqId`, from RequestContext), so no per-request child logger is made.
 */
export function createRootLogger(environment: Environment): Logger {
  const options: pino.LoggerOptions = {
    level: environment.LOG_LEVEL,
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', '*.password', '*.apiKey', '*.accessToken'],
    formatters: { log: (object: Record<string, unknown>) => maskDeep(object) as Record<string, unknown> },
    // The message and its format arguments are masked too, not only the merged object.
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? maskPhonesInText(arg) : arg)) as typeof args);
      },
    },
    // A new object each time: pino merges the line into it.
    mixin: () => {
      const requestId = RequestContext.requestId;
      return requestId ? { reqId: requestId } : {};
    },
  };
  const destination = destinationFor(environment);
  return destination ? pino(options, destination) : pino(options);
}

@Global()
@Module({
  providers: [{ provide: ROOT_LOGGER, inject: [Environment], useFactory: createRootLogger }],
  exports: [ROOT_LOGGER],
})
class RootLoggerModule {}

/**
 * Structured JSON logs with request ids; credentials redacted, phone numbers masked. nestjs-pino is the
 * application's logger over the one pino instance; it mounts no HTTP middleware (`forRoutes: []`):
 * the API writes its access log from Fastify's hooks (apps/api/src/http/access-log.ts), and the
 * worker has no HTTP at all.
 */
@Module({
  imports: [
    RootLoggerModule,
    LoggerModule.forRootAsync({
      inject: [ROOT_LOGGER],
      useFactory: (logger: Logger) => ({ pinoHttp: { logger }, forRoutes: [] }),
    }),
  ],
})
export class LoggingModule {}
