import { validateEnvironment } from '../config/environment';
import { Clock } from './clock';

const onDay = (TEST_TODAY: string, NODE_ENV = 'test') => new Clock(validateEnvironment({ NODE_ENV, TEST_TODAY }));

describe('Clock', () => {
  describe('without TEST_TODAY', () => {
    it('tells the wall-clock time', () => {
      const before = Date.now();
      const now = new Clock().now().getTime();
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(Date.now());
    });
  });

  describe('asOf', () => {
    it('sets the time of the work it runs back to a past day, and of that work alone', async () => {
      const sut = onDay('2032-06-30');
      const seen = await sut.asOf('2032-01-15', async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return { today: sut.today(), lastWeek: sut.daysFromToday(-7) };
      });
      expect(seen).toEqual({ today: '2032-01-15', lastWeek: '2032-01-08' });
      expect(sut.today()).toBe('2032-06-30');
    });

    it('refuses today, a future day and production', () => {
      const sut = onDay('2032-06-30');
      expect(() => sut.asOf('2032-07-01', async () => undefined)).toThrow('past date');
      expect(() => sut.asOf('2032-06-30', async () => undefined)).toThrow('past date');
      const production = new Clock(validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }));
      expect(() => production.asOf('2020-01-01', async () => undefined)).toThrow('production');
    });
  });

  describe('with TEST_TODAY', () => {
    it('starts a bare date at noon in Shanghai, and lets time run on', async () => {
      const sut = onDay('2031-02-28');
      expect(sut.today()).toBe('2031-02-28');
      const first = sut.now().getTime();
      expect(first - Date.parse('2031-02-28T12:00:00+08:00')).toBeLessThan(60_000);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(sut.now().getTime()).toBeGreaterThan(first);
    });

    it('takes an instant as given, so a test can start just before midnight', () => {
      const sut = onDay('2031-12-31T23:59:00+08:00');
      expect(sut.today()).toBe('2031-12-31');
      expect(sut.daysFromToday(1)).toBe('2032-01-01');
    });

    it('keeps every clock of the process on one timeline, so moving one moves them all', () => {
      const api = onDay('2032-03-15');
      const worker = onDay('2032-03-15');
      api.advanceDays(31);
      expect(worker.today()).toBe('2032-04-15');
      worker.travelTo('2032-01-01');
      expect(api.today()).toBe('2032-01-01');
    });
  });

  describe('moving time', () => {
    it('is refused outside tests', () => {
      const sut = onDay('2033-05-05', 'development');
      expect(() => sut.advanceDays(1)).toThrow(/only under NODE_ENV=test/);
      expect(() => new Clock().travelTo('2033-01-01')).toThrow(/only under NODE_ENV=test/);
    });
  });
});

describe('TEST_TODAY in the environment', () => {
  it('is refused in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), TEST_TODAY: '2026-10-01' })).toThrow(/TEST_TODAY.*production/);
  });

  it.each(['2026-02-30', '2026-13-01', 'tomorrow', '2026-10-01T25:00:00+08:00'])('refuses %s', (value) => {
    expect(() => validateEnvironment({ NODE_ENV: 'test', TEST_TODAY: value })).toThrow(/TEST_TODAY/);
  });
});
