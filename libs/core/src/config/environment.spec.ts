import { ConfigurationError, validateEnvironment } from './environment';

describe('validateEnvironment in production', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: 'a-production-secret-of-at-least-32-chars' };

  it('starts with a production configuration', () => {
    expect(validateEnvironment(production).NODE_ENV).toBe('production');
  });

  it.each([
    ['LOAD_DEMO_DATA', 'true'],
    ['SANDBOX_BANK', 'true'],
    ['TEST_TODAY', '2026-12-01'],
  ])('refuses %s', (variable, value) => {
    expect(() => validateEnvironment({ ...production, [variable]: value })).toThrow(ConfigurationError);
    expect(() => validateEnvironment({ ...production, [variable]: value })).toThrow(variable);
  });
});
