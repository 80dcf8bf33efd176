import { NestFactory } from '@nestjs/core';
import { ConfigurationError, loadEnvironment, resolveInfrastructure } from '@app/core';
import { createApi } from '../apps/api/src/create-api';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../apps/api/src/demo/demo-logins';
import { WorkerModule } from '../apps/worker/src/worker.module';

const DEMO_ADMIN_PASSWORD = 'admin-demo-1';

/**
 * `npm start`: the whole platform in one process on a laptop. It starts the embedded PostgreSQL when
 * DATABASE_URL is unset, runs the migrations, loads demo data into an empty database, and runs the API
 * and the worker side by side. Production runs apps/api and apps/worker as separate processes instead.
 */
async function main(): Promise<void> {
  const environment = loadEnvironment({
    RUN_MIGRATIONS: 'true',
    LOAD_DEMO_DATA: 'true',
    SANDBOX_BANK: 'true',
    ADMIN_USERNAME: 'admin',
    ADMIN_PASSWORD: DEMO_ADMIN_PASSWORD,
  });
  const infrastructure = await resolveInfrastructure(environment, () => undefined);
  // Both halves share the one server this process started.
  const shared = { ...environment, DATABASE_URL: infrastructure.databaseUrl };

  const api = await createApi(shared, { bufferLogs: true });
  await api.listen(environment.PORT, '0.0.0.0');
  const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot({ ...shared, RUN_MIGRATIONS: false }), { bufferLogs: true });
  await worker.init();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: finishing in-flight requests and jobs…`);
    await worker.close();
    await api.close();
    await infrastructure.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const base = `http://localhost:${environment.PORT}`;
  console.log(
    [
      '',
      `The supervision platform is running on ${infrastructure.embedded ? 'the embedded PostgreSQL' : 'DATABASE_URL'} with ${environment.REDIS_URL ? 'Redis' : 'queues in PostgreSQL'}.`,
      `  API and pages   ${base}/`,
      `  OpenAPI         ${base}/api/docs`,
      `  Health          ${base}/health/ready`,
      `  Admin login     ${environment.ADMIN_USERNAME} / ${environment.ADMIN_PASSWORD === DEMO_ADMIN_PASSWORD ? DEMO_ADMIN_PASSWORD : '(your ADMIN_PASSWORD)'}`,
      ...(environment.LOAD_DEMO_DATA ? DEMO_LOGINS.map((login) => `  ${login.role.padEnd(15)} ${login.username} / ${DEMO_PASSWORD}   (${login.note})`) : []),
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error instanceof ConfigurationError ? error.message : error);
  process.exit(1);
});
