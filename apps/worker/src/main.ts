import { NestFactory } from '@nestjs/core';
import { ConfigurationError, loadEnvironment } from '@app/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(loadEnvironment()), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT: the relay finishes its batch and workers finish their in-flight jobs before exit.
  app.enableShutdownHooks();
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
