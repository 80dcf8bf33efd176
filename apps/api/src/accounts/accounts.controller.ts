import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { AccountsService, CurrentUser, Principal, Public, PublicUser, Roles, publicUser } from '@app/core';
import { AuthThrottled } from '../access/auth-throttles';
import { maskPhone } from '@app/core/privacy/mask';
import { ApiProblems } from '../common/responses';
import {
  AccessTokenDto,
  AccountActionDto,
  AccountDto,
  ChangePasswordDto,
  DoneDto,
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
  @AuthThrottled()
  @ApiOperation({ operationId: 'login', summary: 'Exchange a username and password for an access token' })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblems(400, 401, 429)
  login(@Body() body: LoginDto): Promise<AccessTokenDto> {
    return this.accounts.login(body.username, body.password);
  }

  // Sign-ups answer 409 for a taken name (docs/API contract); the auth throttles per address and per
  // name are what keep that answer from enumerating accounts.
  @Post('auth/parents')
  @Public()
  @AuthThrottled()
  @ApiOperation({ operationId: 'registerParent', summary: 'Register a parent; the mobile number is the login name' })
  @ApiCreatedResponse({ type: AccountDto })
  @ApiProblems(400, 409, 422, 429)
  async registerParent(@Body() body: NewParentDto): Promise<AccountDto> {
    return shown(await this.accounts.createAccount({ username: body.phone, password: body.password, name: body.name, phone: body.phone, role: 'parent' }));
  }

  @Post('auth/institution-accounts')
  @Public()
  @AuthThrottled()
  @ApiOperation({ operationId: 'registerInstitutionAccount', summary: 'Register the account that files and runs institutions' })
  @ApiCreatedResponse({ type: AccountDto })
  @ApiProblems(400, 409, 422, 429)
  async registerInstitutionAccount(@Body() body: NewInstitutionAccountDto): Promise<AccountDto> {
    return shown(
      await this.accounts.createAccount({ username: body.username, password: body.password, name: body.contactName, phone: body.phone, role: 'institution' }),
    );
  }

  @Post('auth/logout')
  @HttpCode(200)
  @Roles('admin', 'regulator', 'institution', 'parent')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'logout', summary: 'End every session of the caller: each token issued before is refused from now on' })
  @ApiOkResponse({ type: DoneDto })
  @ApiProblems(401, 403)
  async logout(@CurrentUser() principal: Principal): Promise<DoneDto> {
    await this.accounts.logout(principal);
    return { done: true };
  }

  @Post('auth/password')
  @HttpCode(200)
  @Roles('admin', 'regulator', 'institution', 'parent')
  @AuthThrottled()
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'changePassword', summary: 'Change one’s password; every token issued before is refused, the answer is a new one' })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiProblems(400, 401, 403, 422, 429)
  changePassword(@CurrentUser() principal: Principal, @Body() body: ChangePasswordDto): Promise<AccessTokenDto> {
    return this.accounts.changePassword(principal, body.currentPassword, body.newPassword);
  }

  @Post('users/:id/disable')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'disableUser', summary: 'Disable an account: its tokens are refused at once and it cannot log in' })
  @ApiOkResponse({ type: AccountDto })
  @ApiProblems(400, 401, 403, 404, 422)
  async disableUser(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() principal: Principal, @Body() body: AccountActionDto): Promise<AccountDto> {
    return shown(await this.accounts.setDisabled(principal, id, true, body.reason));
  }

  @Post('users/:id/enable')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'enableUser', summary: 'Enable a disabled account again (it logs in anew)' })
  @ApiOkResponse({ type: AccountDto })
  @ApiProblems(400, 401, 403, 404)
  async enableUser(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() principal: Principal, @Body() body: AccountActionDto): Promise<AccountDto> {
    return shown(await this.accounts.setDisabled(principal, id, false, body.reason));
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
