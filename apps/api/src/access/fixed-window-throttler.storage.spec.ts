import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

describe('FixedWindowThrottlerStorage', () => {
  let storage: FixedWindowThrottlerStorage;
  let now: number;

  beforeEach(() => {
    now = Date.parse('2026-11-30T08:00:00Z');
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    storage = new FixedWindowThrottlerStorage();
  });

  afterEach(() => jest.restoreAllMocks());

  const hit = (key = '203.0.113.7', throttler = 'public') => storage.increment(key, 60_000, 3, 60_000, throttler);

  it('lets the limit through in a window, then blocks until the block ends', async () => {
    for (const expected of [1, 2, 3]) await expect(hit()).resolves.toMatchObject({ totalHits: expected, isBlocked: false, timeToExpire: 60 });
    now += 10_000;
    await expect(hit()).resolves.toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    now += 30_000;
    await expect(hit()).resolves.toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    now += 30_000;
    await expect(hit()).resolves.toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a new window when the old one has passed', async () => {
    await hit();
    await hit();
    now += 60_000;
    await expect(hit()).resolves.toMatchObject({ totalHits: 1, isBlocked: false, timeToExpire: 60 });
  });

  it('counts each client and each throttler apart', async () => {
    for (let i = 0; i < 4; i++) await hit('198.51.100.1');
    await expect(hit('198.51.100.2')).resolves.toMatchObject({ totalHits: 1, isBlocked: false });
    await expect(hit('198.51.100.1', 'login')).resolves.toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
