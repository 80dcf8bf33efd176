import { RateLimitedLog } from './rate-limited-log';

describe('RateLimitedLog', () => {
  it('writes a kind once per interval and counts the ones it held back', () => {
    let now = 0;
    const lines: string[] = [];
    const log = new RateLimitedLog(
      (line) => lines.push(line),
      10_000,
      () => now,
    );
    for (let i = 0; i < 50; i++) log.say('redis', 'redis down');
    log.say('db', 'database down');
    now = 10_000;
    log.say('redis', 'redis down');
    expect(lines).toEqual(['redis down', 'database down', 'redis down (49 more like it in the last 10 s)']);
  });
});
