import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { AccountsService, CurrentUser, Principal, Public, PublicUser, Roles, publicUser } from '@app/core';
import { LoginThrottlerGuard } from '../access/login-throttler.guard';
import { maskPhone } from '@app/core/privacy/mask';
import { ApiProblems } from '../common/responses';
import {
  AccessTokenDto,
  AccountDto,
  BankClientKeyDto,
  LoginDto,
  MeDto,
  NewBankClientDto,
  NewInstitutionAccountDto,
  NewParentDto,
  NewRegulatorDto,
} from './accounts.dto';

const shown = (user: PublicUser): AccountDto => {
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
  @ApiOperation({ operationId: 'login', summary: 'Exchange a username and password for an access token' })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblems(400, 401, 429)
  login(@Body() body: LoginDto): Promise<AccessTokenDto> {
    return this.accounts.login(body.username, body.password);
  }

  @Post('auth/parents')
  @Public()
  @ApiOperation({ operationId: 'registerParent', summary: 'Register a parent; the mobile number is the login name' })
  @ApiCreatedResponse({ type: AccountDto })
  @ApiProblems(400, 409)
  async registerParent(@Body() body: NewParentDto): Promise<AccountDto> {
    return shown(await this.accounts.createAccount({ username: body.phone, password: body.password, name: body.name, phone: body.phone, role: 'parent' }));
  }

  @Post('auth/institution-accounts')
  @Public()
  @ApiOperation({ operationId: 'registerInstitutionAccount', summary: 'Register the account that files and runs institutions' })
  @ApiCreatedResponse({ type: AccountDto })
  @ApiProblems(400, 409)
  async registerInstitutionAccount(@Body() body: NewInstitutionAccountDto): Promise<AccountDto> {
    return shown(
      await this.accounts.createAccount({ username: body.username, password: body.password, name: body.contactName, phone: body.phone, role: 'institution' }),
    );
  }

  @Post('regulators')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'createRegulator', summary: 'Create a regulator for a district, or for a whole city (XXXX00)' })
  @ApiCreatedResponse({ type: AccountDto })
  @ApiProblems(400, 401, 403, 409, 422)
  async createRegulator(@Body() body: NewRegulatorDto): Promise<AccountDto> {
    return shown(await this.accounts.createAccount({ ...body, role: 'regulator' }));
  }

  @Post('bank-clients')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'createBankClient', summary: 'Create the supervising bank’s machine client and issue its API key, once' })
  @ApiCreatedResponse({ type: BankClientKeyDto })
  @ApiProblems(400, 401, 403, 422)
  createBankClient(@Body() body: NewBankClientDto): Promise<BankClientKeyDto> {
    return this.accounts.createBankClient(body.name, body.districtCode);
  }

  @Get('me')
  @Roles('admin', 'regulator', 'institution', 'parent', 'bank')
  @ApiBearerAuth()
  @ApiSecurity('bank')
  @ApiOperation({ operationId: 'getMe', summary: 'The caller’s account and what it may see' })
  @ApiOkResponse({ type: MeDto })
  @ApiProblems(401)
  me(@CurrentUser() principal: Principal): Promise<MeDto> {
    return this.accounts.me(principal);
  }
}
