import { Injectable } from '@nestjs/common';
import { Environment } from './environment';

/** Typed, read-only access to the validated environment. */
@Injectable()
export class AppConfig {
  constructor(private readonly environment: Environment) {}

  get<K extends keyof Environment>(key: K): Environment[K] {
    return this.environment[key];
  }

  get isProduction(): boolean {
    return this.environment.NODE_ENV === 'production';
  }
}
