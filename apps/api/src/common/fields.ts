import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** Request fields that several DTOs share, each validated the same way everywhere. */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

export const MobilePhoneField = (description = 'mainland mobile number, 11 digits') =>
  applyDecorators(
    ApiProperty({ example: '13812345678', description }),
    Matches(MAINLAND_MOBILE, { message: 'phone must be a mainland mobile number of 11 digits' }),
  );

export const NewPasswordField = () => applyDecorators(ApiProperty({ minLength: 8 }), IsString(), MinLength(8), MaxLength(200));

export const LoginNameField = (example: string) =>
  applyDecorators(
    ApiProperty({ example }),
    Matches(/^[a-zA-Z][a-zA-Z0-9_.-]{2,49}$/, { message: 'username must be 3-50 letters, digits, _ . or -, starting with a letter' }),
  );

export const NameField = (example?: string) => applyDecorators(ApiProperty({ example }), IsString(), IsNotEmpty(), MaxLength(100));

export const DistrictCodeField = (description?: string) =>
  applyDecorators(ApiProperty({ example: '430104', description }), Matches(/^\d{6}$/, { message: 'districtCode must be six digits' }));

/** An optional `true`/`false` query parameter (a query string carries text; anything else is refused). */
export const BooleanQueryField = (name: string, description: string) =>
  applyDecorators(
    ApiPropertyOptional({ type: Boolean, description }),
    IsOptional(),
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: `${name} must be true or false` }),
  );
