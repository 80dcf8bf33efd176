import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import createClient, { Client } from 'openapi-fetch';
import type { paths } from '../../clients/typescript/openapi';

/**
 * A typed client of the API for the e2e tests: openapi-fetch over the types generated from the committed
 * OpenAPI document (clients/typescript/openapi.d.ts, `npm run openapi`), talking to the in-process Fastify
 * app through `inject()`, so no port is opened. A route, a parameter or a body the document does not
 * have is a compile error in the test; so is an answer field it does not declare, once the route has
 * its response DTO.
 *
 *   const api = platform.client(token);                       // bearer token; platform.client() is anonymous
 *   const bank = platform.client({ apiKey });                  // the bank's X-Api-Key
 *   const paid = expectStatus(await api.POST('/api/v1/contracts/{id}/payments', {
 *     params: { path: { id }, header: idempotencyKey() }, body: { amountFen: 100_00 } }), 201);
 */
export type ApiClient = Client<paths>;

/** Who calls: a bearer token (a string or `{ bearer }`), the bank's `{ apiKey }`, or nobody. */
export type ApiCredential = string | { bearer: string } | { apiKey: string } | undefined;

/** Never contacted: every request goes through Fastify's inject(). */
const BASE_URL = 'http://api.test';

export function createApiClient(app: NestFastifyApplication, credential?: ApiCredential): ApiClient {
  return createClient<paths>({ baseUrl: BASE_URL, fetch: injectingFetch(app), headers: credentialHeaders(credential) });
}

/** The headers of a credential: `Authorization: Bearer …` or `X-Api-Key`. */
export function credentialHeaders(credential: ApiCredential): Record<string, string> {
  if (credential === undefined) return {};
  if (typeof credential === 'string') return bearer(credential);
  return 'bearer' in credential ? bearer(credential.bearer) : apiKey(credential.apiKey);
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
export const apiKey = (key: string) => ({ 'X-Api-Key': key });
/** The header a money-moving request must carry; the same key on a retry replays the first answer. */
export const idempotencyKey = (key: string = randomUUID()) => ({ 'Idempotency-Key': key });

/** A `fetch` that hands the request to Fastify's inject() and gives its reply back as a Response. */
export function injectingFetch(app: NestFastifyApplication): (request: Request) => Promise<Response> {
  const fastify = app.getHttpAdapter().getInstance();
  return async (request) => {
    const url = new URL(request.url);
    const payload = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const reply = await fastify.inject({
      method: request.method as 'GET',
      url: url.pathname + url.search,
      headers: Object.fromEntries(request.headers),
      payload,
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(reply.headers)) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, String(item));
    }
    const bodyless = request.method === 'HEAD' || [101, 204, 205, 304].includes(reply.statusCode);
    const response = new Response(bodyless ? null : reply.rawPayload, { status: reply.statusCode, statusText: reply.statusMessage, headers });
    // A constructed Response has no url; expectStatus names the request with it.
    Object.defineProperty(response, 'url', { value: `${request.method} ${url.pathname}${url.search}` });
    return response;
  };
}

interface FetchResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/**
 * A route whose answer the document does not declare yet (no response DTO) gives `any`, as supertest's
 * `response.body` does; once the route declares its DTO the same test gets the DTO's type.
 */
type Loose<T> = [Exclude<T, undefined>] extends [never] ? any : unknown extends T ? any : Exclude<T, undefined>;

/** The body of an answer: `data` for a 2xx/3xx, the problem (`error`) for a 4xx/5xx. */
export type AnswerOf<R extends FetchResult, S extends number> = `${S}` extends `4${string}` | `5${string}` ? Loose<R['error']> : Loose<R['data']>;

/**
 * Checks the status (like supertest's `.expect(status)`, with the body in the message when it differs)
 * and returns the answer's body.
 */
export function expectStatus<R extends FetchResult, S extends number>(result: R, status: S): AnswerOf<R, S> {
  const { response } = result;
  const body = response.ok ? result.data : result.error;
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status} from ${response.url || 'the API'}: ${JSON.stringify(body)}`);
  }
  return body as AnswerOf<R, S>;
}
