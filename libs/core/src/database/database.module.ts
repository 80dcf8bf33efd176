import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ALL_MIGRATIONS } from '../../../../migrations';
import { AppConfig } from '../config/app-config';
import { INFRASTRUCTURE, Infrastructure } from '../infrastructure/infrastructure';
import { databaseOptions } from './database-options';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [INFRASTRUCTURE, AppConfig],
      useFactory: (infrastructure: Infrastructure, config: AppConfig) => ({
        ...databaseOptions(infrastructure.databaseUrl, ALL_MIGRATIONS),
        migrationsRun: config.get('RUN_MIGRATIONS'),
        logging: config.get('LOG_LEVEL') === 'silent' ? false : ['error'],
      }),
    }),
  ],
})
export class DatabaseModule {}
