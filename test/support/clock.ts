import { Clock, testProcessSettings, validateEnvironment } from '@app/core';

/**
 * A clock for tests that run without a platform: the same simulated day as the platform's (TEST_TODAY
 * from the shell, for the date matrix of scripts/test.js), or the real one.
 */
export function testClock(): Clock {
  return new Clock(validateEnvironment({ NODE_ENV: 'test', ...testProcessSettings() }));
}
