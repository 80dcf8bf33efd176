import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { UNAVAILABLE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './database-unavailable';
import { DomainError } from './domain-error';
import { RateLimitedLog } from '../logging/rate-limited-log';
import { PROBLEM_CONTENT_TYPE, Problem, problem } from './problem';

const HTTP_CODES: Record<number, string> = {
  400: 'REQUEST.INVALID',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'REQUEST.TOO_LARGE',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE.UNAVAILABLE',
};

/** The one mapping from anything thrown to application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);
  /** Every request fails alike while the database is out: one line per half minute says so. */
  private readonly outages = new RateLimitedLog((message) => this.logger.warn(message));

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const reply = context.getResponse<FastifyReply>();
    const request = context.getRequest<FastifyRequest>();
    const body = { ...this.toProblem(exception), instance: request.url.split('?')[0] };
    if (body.status === 500) this.logger.error({ err: exception }, 'unhandled error');
    if (reply.sent) return;
    // Every 503 (the database out of reach, readiness refused) tells the caller when to come back.
    if (body.status === 503) reply.header('Retry-After', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    // A refusal that knows when the caller may try again (e.g. a daily limit) says so in the header too.
    if (exception instanceof DomainError && typeof exception.extras.retryAfter === 'number') reply.header('Retry-After', String(exception.extras.retryAfter));
    reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof DomainError) {
      return problem(exception.status, exception.code, exception.detail, exception.extras);
    }
    if (exception instanceof ThrottlerException) {
      return problem(429, 'RATE_LIMITED', 'Too many requests: slow down and try again shortly.');
    }
    // Fastify's own refusals (a body over the limit 413, an unsupported media type 415, a bad
    // Content-Length 400) reach here as HttpExceptions with their status: Nest maps FastifyErrors so.
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      // Extra fields (e.g. terminus's per-check `details` on a 503) are kept as problem extensions.
      const {
        message: _message,
        statusCode: _statusCode,
        error: _error,
        status: _status,
        ...extensions
      } = typeof response === 'object' ? (response as Record<string, unknown>) : {};
      const detail = Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
      return problem(status, HTTP_CODES[status] ?? `HTTP.${status}`, status === 503 ? 'A dependency is not available.' : detail, extensions);
    }
    // A client error carrying its status the Express way (`status`) or Fastify's (`statusCode`).
    const status = (exception as { status?: number })?.status ?? (exception as { statusCode?: number })?.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return problem(status, HTTP_CODES[status] ?? `HTTP.${status}`, (exception as Error).message);
    }
    if (isDatabaseUnavailable(exception)) {
      this.outages.say('database', `database unavailable, answering 503: ${(exception as Error).message}`);
      return problem(503, HTTP_CODES[503], 'The service is briefly unavailable: retry after the time in Retry-After.');
    }
    return problem(500, 'INTERNAL', 'Something went wrong on our side; it has been logged.');
  }
}
