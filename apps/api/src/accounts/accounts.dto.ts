import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const MOBILE = /^1[3-9]\d{9}$/;
const DIVISION = /^\d{6}$/;

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
  @ApiProperty({ example: '13812345678', description: 'mainland mobile number, 11 digits; also the login name' })
  @Matches(MOBILE, { message: 'phone must be a mainland mobile number of 11 digits' })
  phone: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

export class NewInstitutionAccountDto {
  @ApiProperty({ example: 'xdf-yuelu' })
  @Matches(/^[a-zA-Z][a-zA-Z0-9_.-]{2,49}$/, { message: 'username must be 3-50 letters, digits, _ . or -, starting with a letter' })
  username: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  contactName: string;

  @ApiProperty({ example: '13812345678' })
  @Matches(MOBILE, { message: 'phone must be a mainland mobile number of 11 digits' })
  phone: string;
}

export class NewRegulatorDto {
  @ApiProperty({ example: 'yuelu-reviewer' })
  @Matches(/^[a-zA-Z][a-zA-Z0-9_.-]{2,49}$/, { message: 'username must be 3-50 letters, digits, _ . or -, starting with a letter' })
  username: string;

  @ApiProperty({ minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '430104', description: 'six digits; XXXX00 gives a city-wide scope' })
  @Matches(DIVISION, { message: 'districtCode must be six digits' })
  districtCode: string;
}

export class NewBankClientDto {
  @ApiProperty({ example: 'Supervising bank, Yuelu branch' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: '430104' })
  @Matches(DIVISION, { message: 'districtCode must be six digits' })
  districtCode: string;
}

