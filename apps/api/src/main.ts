import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigurationError, loadEnvironment } from '@app/core';
import { ApiModule } from './api.module';
import { configureApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const environment = loadEnvironment();
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(environment), { bufferLogs: true, bodyParser: false });
  configureApp(app);
  await app.listen(environment.PORT);
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
