import { writesPrettyLogs } from './logging.module';

describe('writesPrettyLogs', () => {
  it('writes readable lines on a terminal outside production, JSON lines into a pipe or a file', () => {
    expect(writesPrettyLogs({ LOG_FORMAT: 'auto', NODE_ENV: 'development' }, true)).toBe(true);
    expect(writesPrettyLogs({ LOG_FORMAT: 'auto', NODE_ENV: 'development' }, false)).toBe(false);
  });

  it('keeps JSON lines in production even on a terminal, unless forced', () => {
    expect(writesPrettyLogs({ LOG_FORMAT: 'auto', NODE_ENV: 'production' }, true)).toBe(false);
    expect(writesPrettyLogs({ LOG_FORMAT: 'pretty', NODE_ENV: 'production' }, false)).toBe(true);
    expect(writesPrettyLogs({ LOG_FORMAT: 'json', NODE_ENV: 'development' }, true)).toBe(false);
  });
});
