import type { FastifyInstance } from 'fastify';
import { DomainError } from '@app/core';

/**
 * Request bodies are JSON or nothing: any other media type is refused (415 problem). Fastify's JSON
 * parser (secure-json-parse, its prototype-poisoning guards) stays; its refusal of bad JSON becomes the
 * API's 400 `REQUEST.MALFORMED_JSON` problem, and an empty body reads as `{}`, as it did on Express.
 */
export function acceptJsonBodies(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body: string, done) => {
    if (body.length === 0) return done(null, {});
    parseJson(request, body, (error, value) =>
      error ? done(new DomainError(400, 'REQUEST.MALFORMED_JSON', 'The request body is not valid JSON.')) : done(null, value),
    );
  });
}
