import { ConfigurationError, loadEnvironment } from '@app/core';
import { createApi } from './create-api';

async function bootstrap(): Promise<void> {
  const environment = loadEnvironment();
  const app = await createApi(environment, { bufferLogs: true });
  // Fastify listens on localhost unless told otherwise; the API serves every interface, as it did on Express.
  await app.listen(environment.PORT, '0.0.0.0');
}

bootstrap().catch((error) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
