export interface FieldError {
  field: string;
  message: string;
  code?: string;
}

/**
 * An error a client can act on: an HTTP status, a machine-readable code (`LEDGER.INSUFFICIENT_ESCROW`)
 * and a sentence for people. Services throw these; one filter maps them to problem+json.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extras: { errors?: FieldError[]; [key: string]: unknown } = {},
  ) {
    super(detail);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, code = 'NOT_FOUND') => new DomainError(404, code, `${what} was not found.`);
export const conflict = (code: string, detail: string, extras?: Record<string, unknown>) => new DomainError(409, code, detail, extras);
export const unprocessable = (code: string, detail: string, extras?: DomainError['extras']) => new DomainError(422, code, detail, extras);
export const badRequest = (code: string, detail: string, extras?: DomainError['extras']) => new DomainError(400, code, detail, extras);
export const forbidden = (code: string, detail: string) => new DomainError(403, code, detail);
