import type { FastifyReply, FastifyRequest } from 'fastify';

const opaque = (tag: string) => (tag.startsWith('W/') ? tag.slice(2) : tag);

/** Whether the client's If-None-Match names this ETag (weak comparison, as RFC 9110 asks for GET). */
function clientHas(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  if (header.trim() === '*') return true;
  const wanted = opaque(etag);
  return header.split(',').some((tag) => opaque(tag.trim()) === wanted);
}

/**
 * Sets the answer's ETag and, when the client already holds that version, answers 304 with no body.
 * True when the 304 was sent; the caller then sends nothing more. (Express did this inside res.send;
 * Fastify leaves it to the route.)
 */
export function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  reply.header('etag', etag);
  if (!clientHas(request, etag)) return false;
  reply.code(304).send();
  return true;
}
