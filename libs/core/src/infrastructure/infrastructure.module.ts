import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Environment } from '../config/environment';
import { INFRASTRUCTURE, Infrastructure, resolveInfrastructure } from './infrastructure';

@Global()
@Module({
  providers: [
    {
      provide: INFRASTRUCTURE,
      inject: [Environment],
      useFactory: (environment: Environment) => {
        const logger = new Logger('EmbeddedPostgres');
        return resolveInfrastructure(environment, (line) => logger.debug(line));
      },
    },
  ],
  exports: [INFRASTRUCTURE],
})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}

  // Runs after every other module has closed its connections.
  async onApplicationShutdown(): Promise<void> {
    await this.infrastructure.close();
  }
}
