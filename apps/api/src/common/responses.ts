import { Type, applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE } from '@app/core';

/**
 * Building blocks of the typed answers (docs/decisions.md, "Answers"): every route declares its answer
 * as a response DTO, its refusals as problem+json, and a list as a page of its items.
 */

export class FieldErrorDto {
  @ApiProperty({ example: 'studentName' }) field: string;
  @ApiProperty({ example: 'studentName should not be empty' }) message: string;
  @ApiPropertyOptional({ example: 'uscc.check' }) code?: string;
}

/** RFC 9457 problem details with the platform's `code`; refusals may add fields of their own (currentStatus, limit…). */
export class ProblemDto {
  @ApiProperty({ example: 'https://errors.offcampus.example/contract-not-found' }) type: string;
  @ApiProperty({ example: 'Not Found' }) title: string;
  @ApiProperty({ example: 404 }) status: number;
  @ApiProperty({ example: 'The contract was not found.' }) detail: string;
  @ApiProperty({ example: 'CONTRACT.NOT_FOUND', description: 'machine-readable; the list per route is in its description' }) code: string;
  @ApiPropertyOptional({ type: [FieldErrorDto] }) errors?: FieldErrorDto[];
}

const PROBLEM_DESCRIPTIONS: Record<number, string> = {
  400: 'malformed request or a field that fails validation (VALIDATION.*, REQUEST.*)',
  401: 'no or an invalid credential (AUTH.*)',
  403: 'the caller’s role may not do this (AUTH.FORBIDDEN)',
  404: 'nothing the caller may see has this id',
  409: 'the state does not allow it now; `currentStatus` says why',
  413: 'the body is over 256 kB (REQUEST.TOO_LARGE)',
  422: 'a business rule refuses it; `code` names the rule',
  429: 'too many requests; `Retry-After` says when to come back',
  503: 'a dependency is down; retry after `Retry-After`',
};

/** Declares the problem+json answers a route may give, besides its success. */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status] ?? 'refused',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );

/** The list answer of the API contract: `{ items, total, page, pageSize }`. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * A named page class for one item DTO, so the OpenAPI document has a schema per list:
 * `export class ContractPageDto extends PageOf(ContractDto) {}`.
 */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  class PageDto implements Page<T> {
    @ApiProperty({ type: [item] }) items: T[];
    @ApiProperty({ example: 1 }) total: number;
    @ApiProperty({ example: 1 }) page: number;
    @ApiProperty({ example: 20 }) pageSize: number;
  }
  return PageDto;
}
