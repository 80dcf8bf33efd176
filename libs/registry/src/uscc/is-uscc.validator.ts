import { buildMessage, registerDecorator, ValidationOptions } from 'class-validator';

import { isValidUscc, UsccRejectionReason, validateUscc } from './uscc';

// Said in the message so that whoever typed the code knows what to look at on the licence.
const REASON_EXPLANATIONS: Record<UsccRejectionReason, string> = {
  length: 'it must be exactly 18 characters long',
  charset: 'it may contain only digits and upper-case letters other than I, O, S, V and Z',
  division: 'characters 3 to 8 must be a six-digit administrative division code',
  check: 'the check character (the 18th) is wrong',
};

function isUsccString(value: unknown): boolean {
  return typeof value === 'string' && isValidUscc(value);
}

function explainRejection(value: unknown): string {
  // With { each: true } class-validator hands the whole array to the message: explain its first bad element.
  if (Array.isArray(value)) return explainRejection(value.find((element) => !isUsccString(element)));
  if (typeof value !== 'string') return 'it must be a string';
  const validation = validateUscc(value);
  return validation.ok ? 'it is valid' : REASON_EXPLANATIONS[validation.reason];
}

/** The property must be a unified social credit code whose check character matches (GB 32100-2015). */
export function IsUscc(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isUscc',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: isUsccString,
        // buildMessage adds "each value in" for { each: true }, as class-validator's own decorators say.
        defaultMessage: buildMessage(
          (eachPrefix, args) => `${eachPrefix}$property is not a valid unified social credit code (GB 32100-2015): ` + explainRejection(args?.value),
          options,
        ),
      },
    });
  };
}
