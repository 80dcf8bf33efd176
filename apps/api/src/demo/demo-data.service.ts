import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AccountsService, AppConfig, User } from '@app/core';
import { Repository } from 'typeorm';
import { DEMO_LOGINS, DEMO_PASSWORD } from './demo-logins';

/** Fills an empty database with demo accounts (and, as contexts land, their data) for `npm start`. */
@Injectable()
export class DemoDataService {
  private readonly logger = new Logger(DemoDataService.name);

  constructor(
    private readonly accounts: AccountsService,
    private readonly config: AppConfig,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async loadIfEmpty(): Promise<void> {
    if (!this.config.get('LOAD_DEMO_DATA')) return;
    if (await this.users.existsBy({ username: DEMO_LOGINS[0].username })) return;
    for (const login of DEMO_LOGINS) {
      await this.accounts.createAccount({
        username: login.username,
        password: DEMO_PASSWORD,
        name: login.name,
        role: login.role,
        phone: 'phone' in login ? login.phone : null,
        districtCode: 'districtCode' in login ? login.districtCode : null,
      });
    }
    const bank = await this.accounts.createBankClient('监管银行 长沙分行 (demo)', '430100');
    this.logger.log(`demo data loaded; the demo bank client's API key (shown once) is ${bank.apiKey}`);
  }
}
