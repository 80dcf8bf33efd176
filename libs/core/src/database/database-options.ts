import './pg-types';
import { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** Options shared by the application and the migration CLI. `synchronize` is never on. */
export function databaseOptions(url: string, migrations: DataSourceOptions['migrations'] = []): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTableName: 'schema_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: 20, connectionTimeoutMillis: 5000, application_name: 'offcampus-supervision' },
    // Business dates are Asia/Shanghai; the server keeps instants in UTC (timestamptz) either way.
    logging: ['error'],
  };
}
