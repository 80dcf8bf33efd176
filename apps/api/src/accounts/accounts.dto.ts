import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
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
