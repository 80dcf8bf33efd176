import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { AccountsService, CurrentUser, Principal, Public, Roles, publicUser } from '@app/core';
import { LoginThrottlerGuard } from '../access/login-throttler.guard';
import { maskPhone } from '@app/core/privacy/mask';
import { LoginDto, NewBankClientDto, NewInstitutionAccountDto, NewParentDto, NewRegulatorDto } from './accounts.dto';

const shown = (user: Parameters<typeof publicUser>[0]) => {
  const view = publicUser(user);
  return { ...view, phone: view.phone ? maskPhone(view.phone) : null };
};

@ApiTags('Accounts')
@Controller('api/v1')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginThrottlerGuard)
  @Throttle({ login: {} })
  @SkipThrottle({ public: true })
  login(@Body() body: LoginDto) {
    return this.accounts.login(body.username, body.password);
  }

  @Post('auth/parents')
  @Public()
  async registerParent(@Body() body: NewParentDto) {
    return shown(await this.accounts.createAccount({ username: body.phone, password: body.password, name: body.name, phone: body.phone, role: 'parent' }));
  }

  @Post('auth/institution-accounts')
  @Public()
  async registerInstitutionAccount(@Body() body: NewInstitutionAccountDto) {
    return shown(
      await this.accounts.createAccount({ username: body.username, password: body.password, name: body.contactName, phone: body.phone, role: 'institution' }),
    );
  }

  @Post('regulators')
  @Roles('admin')
  @ApiBearerAuth()
  async createRegulator(@Body() body: NewRegulatorDto) {
    return shown(await this.accounts.createAccount({ ...body, role: 'regulator' }));
  }

  @Post('bank-clients')
  @Roles('admin')
  @ApiBearerAuth()
  createBankClient(@Body() body: NewBankClientDto) {
    return this.accounts.createBankClient(body.name, body.districtCode);
  }

  @Get('me')
  @Roles('admin', 'regulator', 'institution', 'parent', 'bank')
  @ApiBearerAuth()
  me(@CurrentUser() principal: Principal) {
    return this.accounts.me(principal);
  }
}
