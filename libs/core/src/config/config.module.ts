import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';
import { Environment, loadEnvironment } from './environment';

@Global()
@Module({})
export class ConfigModule {
  /** Takes an environment already validated (the launcher's) or loads it now. */
  static forRoot(environment: Environment = loadEnvironment()): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: Environment, useValue: environment }, AppConfig],
      exports: [AppConfig, Environment],
    };
  }
}
