import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, FieldError } from './domain-error';

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([code, message]) => ({
      field,
      code,
      message: code === 'whitelistValidation' ? `${field} is not a known field` : message,
    }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Refuses unknown fields and wrong types with one 400 listing every field at fault. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fieldErrors = flatten(errors);
      const unknownOnly = fieldErrors.every((error) => error.code === 'whitelistValidation');
      return new DomainError(
        400,
        unknownOnly ? 'VALIDATION.UNKNOWN_FIELD' : 'VALIDATION.FAILED',
        `The request is not valid: ${fieldErrors.map((error) => error.message).join('; ')}.`,
        { errors: fieldErrors },
      );
    },
  });
}
