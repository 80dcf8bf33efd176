import { WorkingDayCalendar } from '@app/core';
import { DEFAULT_POLICY } from '@app/registry/policy/district-policy';
import { lessonTimeBreaches } from './lesson-time-rules';

// 2026-10-01 to 10-08 are the National Day holidays; Sunday 2026-09-27 is a make-up working day.
const calendar = new WorkingDayCalendar({ 2026: { holidays: ['2026-10-01', '2026-10-02'], workdays: ['2026-09-27'] } });
const subject = { category: 'subject', delivery: 'offline' } as const;
const at = (instant: string, minutes = 45) => ({ startsAt: new Date(instant), minutes });
const rules = (lesson: ReturnType<typeof at>, setting: Parameters<typeof lessonTimeBreaches>[1] = subject) =>
  lessonTimeBreaches(lesson, setting, DEFAULT_POLICY, calendar).map((breach) => breach.rule);

describe('lessonTimeBreaches', () => {
  it('passes a weekday lesson that ends by the latest hour', () => {
    expect(rules(at('2026-11-25T19:45:00+08:00'))).toEqual([]);
  });

  it('refuses an offline lesson ending after 20:30 and an online one after 21:00, or on the next day', () => {
    expect(lessonTimeBreaches(at('2026-11-25T19:46:00+08:00'), subject, DEFAULT_POLICY, calendar)).toEqual([
      { rule: 'OUTSIDE_ALLOWED_HOURS', delivery: 'offline', latestEnd: '20:30' },
    ]);
    expect(rules(at('2026-11-25T20:30:00+08:00', 30), { category: 'subject', delivery: 'online' })).toEqual([]);
    expect(rules(at('2026-11-25T20:31:00+08:00', 30), { category: 'subject', delivery: 'online' })).toEqual(['OUTSIDE_ALLOWED_HOURS']);
    expect(rules(at('2026-11-25T23:30:00+08:00'))).toEqual(['OUTSIDE_ALLOWED_HOURS']);
  });

  it('keeps subject training off weekends and holidays, but not off a make-up working day', () => {
    expect(lessonTimeBreaches(at('2026-11-28T10:00:00+08:00'), subject, DEFAULT_POLICY, calendar)).toEqual([{ rule: 'REST_DAY', date: '2026-11-28' }]);
    expect(rules(at('2026-10-01T10:00:00+08:00'))).toEqual(['REST_DAY']);
    expect(rules(at('2026-09-27T10:00:00+08:00'))).toEqual([]);
    expect(rules(at('2026-11-28T10:00:00+08:00'), { category: 'non_subject', delivery: 'offline' })).toEqual([]);
  });

  it('lists every rule broken, in the order a roll call checks them', () => {
    expect(rules(at('2026-11-28T20:00:00+08:00', 60))).toEqual(['LESSON_TOO_LONG', 'OUTSIDE_ALLOWED_HOURS', 'REST_DAY']);
  });
});
