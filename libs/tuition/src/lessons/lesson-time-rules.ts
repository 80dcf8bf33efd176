import type { WorkingDayCalendar } from '@app/core';
import { shanghaiDate, shanghaiTimeOfDay } from '@app/core/calendar/shanghai-time';
import { Delivery, DistrictPolicy, InstitutionCategory, MAX_LESSON_MINUTES } from '@app/registry';

/** A rule of docs/domain.md, “District policy” on when and how long a lesson may take place, broken, with what a refusal names. */
export type LessonTimeBreach =
  | { rule: 'LESSON_TOO_LONG'; delivery: Delivery; maxMinutes: number }
  | { rule: 'OUTSIDE_ALLOWED_HOURS'; delivery: Delivery; latestEnd: string }
  | { rule: 'REST_DAY'; date: string };

export interface LessonTime {
  startsAt: Date;
  minutes: number;
}

/** The course's category (subject training keeps off rest days) and the institution's delivery (which latest end applies). */
export interface LessonSetting {
  category: InstitutionCategory;
  delivery: Delivery;
}

/**
 * Every lesson-time rule a lesson breaks, in the order a roll call is refused for them: longer than its
 * delivery allows, ending after the district's latest hour (or on the next day), or subject training on
 * a weekend or public holiday (Asia/Shanghai). Empty when it breaks none. The one statement of these
 * rules: recording a lesson refuses the first, and the risk rule "lessons outside allowed time" counts
 * the lessons that break the hour or rest-day rule under today's policy.
 */
export function lessonTimeBreaches(
  lesson: LessonTime,
  setting: LessonSetting,
  policy: Pick<DistrictPolicy, 'latestOfflineEnd' | 'latestOnlineEnd'>,
  calendar: Pick<WorkingDayCalendar, 'isRestDay'>,
): LessonTimeBreach[] {
  const breaches: LessonTimeBreach[] = [];
  const { delivery } = setting;
  if (lesson.minutes > MAX_LESSON_MINUTES[delivery]) breaches.push({ rule: 'LESSON_TOO_LONG', delivery, maxMinutes: MAX_LESSON_MINUTES[delivery] });
  const latestEnd = delivery === 'online' ? policy.latestOnlineEnd : policy.latestOfflineEnd;
  const end = new Date(lesson.startsAt.getTime() + lesson.minutes * 60_000);
  const date = shanghaiDate(lesson.startsAt);
  if (shanghaiDate(end) !== date || shanghaiTimeOfDay(end) > latestEnd) breaches.push({ rule: 'OUTSIDE_ALLOWED_HOURS', delivery, latestEnd });
  if (setting.category === 'subject' && calendar.isRestDay(date)) breaches.push({ rule: 'REST_DAY', date });
  return breaches;
}
