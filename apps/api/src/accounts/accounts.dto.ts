import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { ROLES, Role } from '@app/core';
import { DistrictCodeField, LoginNameField, MobilePhoneField, NameField, NewPasswordField } from '../common/fields';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  username: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password: string;
}

export class NewParentDto {
  @MobilePhoneField('mainland mobile number, 11 digits; also the login name') phone: string;
  @NewPasswordField() password: string;
  @NameField('王芳') name: string;
}

export class NewInstitutionAccountDto {
  @LoginNameField('xdf-yuelu') username: string;
  @NewPasswordField() password: string;
  @NameField('周明') contactName: string;
  @MobilePhoneField() phone: string;
}

export class NewRegulatorDto {
  @LoginNameField('yuelu-reviewer') username: string;
  @NewPasswordField() password: string;
  @NameField('岳麓区教育局 张老师') name: string;
  @DistrictCodeField('six digits; XXXX00 gives a city-wide scope') districtCode: string;
}

export class NewBankClientDto {
  @NameField('Supervising bank, Yuelu branch') name: string;
  @DistrictCodeField() districtCode: string;
}

const PERSON_ROLES = ['admin', 'regulator', 'institution', 'parent'] as const;

export class AccessTokenDto {
  @ApiProperty({ description: 'a JWT for `Authorization: Bearer …`' }) accessToken: string;
  @ApiProperty({ enum: PERSON_ROLES }) role: Role;
  @ApiProperty({ example: 3600, description: 'seconds the token stays valid' }) expiresIn: number;
}

/** A new account as the API shows it: the phone number masked. */
export class AccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'xdf-yuelu', description: 'lower-case; a parent’s is the mobile number' }) username: string;
  @ApiProperty({ enum: PERSON_ROLES }) role: Role;
  @ApiProperty({ example: '周明' }) name: string;
  @ApiProperty({ type: String, nullable: true, example: '139****1111' }) phone: string | null;
  @ApiProperty({ type: String, nullable: true, example: '430104', description: 'a regulator’s scope' }) districtCode: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class BankClientKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'bk_…', description: 'shown once: only its hash is kept' }) apiKey: string;
}

/** What the caller may see; one of the shapes applies, by role. */
export class AccountScopeDto {
  @ApiPropertyOptional({ description: 'the admin: everything' }) all?: boolean;
  @ApiPropertyOptional({ type: String, nullable: true, example: '430100', description: 'a regulator’s or bank’s district, or XXXX00 for a city' })
  districtCode?: string | null;
  @ApiPropertyOptional({ description: 'a regulator whose scope is a whole city' }) cityWide?: boolean;
  @ApiPropertyOptional({ description: 'an institution account: the institutions it owns' }) ownInstitutions?: boolean;
  @ApiPropertyOptional({ description: 'a parent: the contracts they signed' }) ownContracts?: boolean;
}

/** The caller's account (a bank client has no username, phone or creation date here) and scope. */
export class MeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty() name: string;
  @ApiProperty({ type: AccountScopeDto }) scope: AccountScopeDto;
  @ApiPropertyOptional() username?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'the caller’s own number, unmasked' }) phone?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) districtCode?: string | null;
  @ApiPropertyOptional({ type: String, format: 'date-time' }) createdAt?: Date;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) currentPassword: string;
  @NewPasswordField() newPassword: string;
}

export class AccountActionDto {
  @ApiProperty({ example: '离职，账号停用' }) @IsString() @IsNotEmpty() @MaxLength(1000) reason: string;
}

export class DoneDto {
  @ApiProperty({ example: true }) done: boolean;
}
