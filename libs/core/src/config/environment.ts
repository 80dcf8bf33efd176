import { Transform, plainToInstance } from 'class-transformer';
import { assertCalendarDate } from '../calendar/shanghai-time';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toBoolean = ({ value }: { value: unknown }) => (value === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase()));

/**
 * Every environment variable the platform reads, validated once at start-up. Nothing else in the code
 * reads process.env: it asks AppConfig instead.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /** External PostgreSQL; unset means the embedded default under DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** External Redis for BullMQ; unset means BullMQ's PostgreSQL backend on the same database. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// URL' })
  REDIS_URL?: string;

  /** Namespaces the Redis keys of every queue, so several platforms (or test runs) can share one Redis. */
  @Matches(/^[\w-]{1,40}$/, { message: 'QUEUE_PREFIX must be 1-40 letters, digits, _ or -' })
  QUEUE_PREFIX = 'bull';

  /** Where the embedded PostgreSQL keeps its cluster. */
  @IsString()
  DATA_DIR = './.data';

  @Transform(toBoolean)
  @IsBoolean()
  RUN_MIGRATIONS = false;

  @Transform(toBoolean)
  @IsBoolean()
  LOAD_DEMO_DATA = false;

  @IsOptional()
  @IsString()
  @MinLength(3)
  ADMIN_USERNAME?: string;

  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ADMIN_PASSWORD must be at least 8 characters' })
  ADMIN_PASSWORD?: string;

  /** Signs access tokens. Required in production; development falls back to a per-data-folder secret. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(60)
  JWT_TTL_SECONDS = 3600;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /**
   * `auto`: readable lines (pino-pretty) when standard output is a terminal and NODE_ENV is not
   * production, JSON lines otherwise; `json` and `pretty` force one.
   */
  @IsIn(['auto', 'json', 'pretty'])
  LOG_FORMAT: 'auto' | 'json' | 'pretty' = 'auto';

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  LOGIN_ATTEMPTS_PER_MINUTE = 10;

  /**
   * Logins, sign-ups and password changes a minute from one client address, whatever the account (the
   * per-account limit is LOGIN_ATTEMPTS_PER_MINUTE). Shared by every replica (docs/decisions.md, "Security").
   */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  AUTH_REQUESTS_PER_CLIENT_PER_MINUTE = 30;

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  PUBLIC_REQUESTS_PER_MINUTE = 600;

  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  WORKER_CONCURRENCY = 4;

  @Transform(toBoolean)
  @IsBoolean()
  ENABLE_SCHEDULERS = true;

  /** How often a worker checks that every periodic job's scheduler exists and puts back any the queue backend lost. */
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  SCHEDULER_CHECK_SECONDS = 30;

  /**
   * A sandbox bank in the worker confirms payment orders a few seconds after they are opened, through
   * the bank's own receipt path, so the whole journey works on one machine (npm start turns it on).
   * Refused under NODE_ENV=production.
   */
  @Transform(toBoolean)
  @IsBoolean()
  SANDBOX_BANK = false;

  /**
   * Lives the platform on another day (tests and demos): a date (the day starts at noon, Shanghai) or an
   * ISO instant with its offset. Time then runs from there. Refused under NODE_ENV=production.
   */
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/, {
    message: 'TEST_TODAY must be a date YYYY-MM-DD or an ISO instant with its offset',
  })
  TEST_TODAY?: string;
}

export class ConfigurationError extends Error {}

function isRealDate(date: string): boolean {
  try {
    assertCalendarDate(date);
    return true;
  } catch {
    return false;
  }
}

/** The one place that reads process.env; `defaults` apply to variables the environment leaves unset. */
export function loadEnvironment(defaults: Partial<Record<keyof Environment, string>> = {}): Environment {
  return validateEnvironment({ ...defaults, ...process.env });
}

/**
 * The variables a test process takes from its shell, for test/support to build its environment from:
 * TEST_TODAY runs the same suite on another day (scripts/test.js runs the date matrix with it).
 */
export function testProcessSettings(): Partial<Record<keyof Environment, string>> {
  return process.env.TEST_TODAY ? { TEST_TODAY: process.env.TEST_TODAY } : {};
}

/** Validates a raw environment; throws ConfigurationError listing every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== '' && value !== undefined));
  const environment = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: false, skipMissingProperties: false });
  if (errors.length) {
    const lines = errors.flatMap((error) => Object.values(error.constraints ?? {}).map((message) => `  - ${error.property}: ${message}`));
    throw new ConfigurationError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (environment.NODE_ENV === 'production' && !environment.JWT_SECRET) {
    throw new ConfigurationError('Invalid configuration:\n  - JWT_SECRET: required when NODE_ENV=production');
  }
  if (environment.SANDBOX_BANK && environment.NODE_ENV === 'production') {
    throw new ConfigurationError('Invalid configuration:\n  - SANDBOX_BANK: the sandbox bank is refused when NODE_ENV=production');
  }
  if (environment.LOAD_DEMO_DATA && environment.NODE_ENV === 'production') {
    throw new ConfigurationError('Invalid configuration:\n  - LOAD_DEMO_DATA: demo accounts and data are refused when NODE_ENV=production');
  }
  if (environment.TEST_TODAY && environment.NODE_ENV === 'production') {
    throw new ConfigurationError('Invalid configuration:\n  - TEST_TODAY: a simulated date is refused when NODE_ENV=production');
  }
  if (environment.TEST_TODAY && (!isRealDate(environment.TEST_TODAY.slice(0, 10)) || Number.isNaN(Date.parse(environment.TEST_TODAY)))) {
    throw new ConfigurationError(`Invalid configuration:\n  - TEST_TODAY: ${environment.TEST_TODAY} is not a real date`);
  }
  return environment;
}
