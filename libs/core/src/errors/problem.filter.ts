import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { DomainError } from './domain-error';
import { PROBLEM_CONTENT_TYPE, Problem, problem } from './problem';

/** Errors raised by body-parser before any handler runs. */
const BODY_PARSER_PROBLEMS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'REQUEST.MALFORMED_JSON', 'The request body is not valid JSON.'],
  'entity.too.large': [413, 'REQUEST.TOO_LARGE', 'The request body is too large.'],
  'encoding.unsupported': [415, 'REQUEST.UNSUPPORTED_ENCODING', 'The request body encoding is not supported.'],
  'charset.unsupported': [415, 'REQUEST.UNSUPPORTED_CHARSET', 'The request body charset is not supported.'],
  'request.aborted': [400, 'REQUEST.ABORTED', 'The request was aborted.'],
};

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
  503: 'UNAVAILABLE',
};

/** The one mapping from anything thrown to application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    const response = context.getResponse<Response>();
    const request = context.getRequest<Request>();
    const body = { ...this.toProblem(exception), instance: request.originalUrl?.split('?')[0] };
    if (body.status === 500) this.logger.error({ err: exception }, 'unhandled error');
    if (response.headersSent) return;
    response.status(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof DomainError) {
      return problem(exception.status, exception.code, exception.detail, exception.extras);
    }
    if (exception instanceof ThrottlerException) {
      return problem(429, 'RATE_LIMITED', 'Too many requests: slow down and try again shortly.');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      // Nest turns body-parser's SyntaxError (bad JSON) and Express's URIError into a plain 400.
      if (status === 400 && exception.constructor.name === 'BadRequestException' && /JSON/.test(String(message))) {
        return problem(400, 'REQUEST.MALFORMED_JSON', 'The request body is not valid JSON.');
      }
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
    const bodyParserType = (exception as { type?: string })?.type;
    if (bodyParserType && BODY_PARSER_PROBLEMS[bodyParserType]) {
      const [status, code, detail] = BODY_PARSER_PROBLEMS[bodyParserType];
      return problem(status, code, detail);
    }
    const status = (exception as { status?: number })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return problem(status, HTTP_CODES[status] ?? `HTTP.${status}`, (exception as Error).message);
    }
    return problem(500, 'INTERNAL', 'Something went wrong on our side; it has been logged.');
  }
}
