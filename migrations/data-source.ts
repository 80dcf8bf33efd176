import { DataSource } from 'typeorm';
import { databaseOptions } from '../libs/core/src/database/database-options';
import { loadEnvironment } from '../libs/core/src/config/environment';
import { resolveInfrastructure } from '../libs/core/src/infrastructure/infrastructure';
import { ALL_MIGRATIONS } from './index';

/**
 * The data source for the TypeORM CLI (migration:run|revert|generate). It connects where the
 * platform would: DATABASE_URL, or the embedded default (started for the command if needed).
 */
export default (async () => {
  const infrastructure = await resolveInfrastructure(loadEnvironment(), () => undefined);
  return new DataSource({ ...databaseOptions(infrastructure.databaseUrl, ALL_MIGRATIONS), entities: [__dirname + '/../libs/*/src/**/*.entity.{js,ts}'] });
})();
