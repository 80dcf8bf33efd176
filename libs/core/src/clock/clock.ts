import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, Optional } from '@nestjs/common';
import { addDays, shanghaiDate } from '../calendar/shanghai-time';
import { Environment } from '../config/environment';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Noon in Shanghai of a business date: far from both midnights and inside working hours. */
function noonOf(date: string): number {
  return Date.parse(`${date}T12:00:00+08:00`);
}

/**
 * The offset of simulated time from the wall clock, per timeline (the TEST_TODAY value, or '' for real
 * time), fixed the first time a process asks. Every Clock of a process (the API's, an in-process
 * worker's, a test's fixtures') reads the same offset, so they agree to the millisecond and move
 * together when a test moves time.
 */
const offsets = new Map<string, number>();

function offsetOf(timeline: string): number {
  let offset = offsets.get(timeline);
  if (offset === undefined) {
    offset = timeline === '' ? 0 : (/^\d{4}-\d{2}-\d{2}$/.test(timeline) ? noonOf(timeline) : Date.parse(timeline)) - Date.now();
    offsets.set(timeline, offset);
  }
  return offset;
}

/** Milliseconds by which `Clock.asOf` sets the time of the work it runs back (docs/architecture.md, "Time"). */
const pastShift = new AsyncLocalStorage<number>();

/**
 * The one source of time for business rules, business timestamps and test fixtures (docs/architecture.md,
 * "Time"). It is the wall clock, shifted when TEST_TODAY is set (refused in production), so the whole
 * platform can live on a chosen day while time still runs. SQL never asks the database for now(): it
 * is handed clock.now() as a parameter.
 */
@Injectable()
export class Clock {
  private readonly timeline: string;

  constructor(@Optional() private readonly environment?: Environment) {
    this.timeline = environment?.TEST_TODAY ?? '';
  }

  now(): Date {
    return new Date(Date.now() + offsetOf(this.timeline) + (pastShift.getStore() ?? 0));
  }

  /**
   * Runs `work` as if it were noon (Shanghai) of the past `date`, time running on: everything it
   * records is dated as it would have been that day. For loading the demo's history only; refused in
   * production, and for a day that is not before today.
   */
  asOf<T>(date: string, work: () => Promise<T>): Promise<T> {
    if (this.environment?.NODE_ENV === 'production') throw new Error('History is never replayed when NODE_ENV=production.');
    if (!(date < shanghaiDate(new Date(Date.now() + offsetOf(this.timeline))))) throw new Error(`Clock.asOf takes a past date, not ${date}.`);
    return pastShift.run(noonOf(date) - (Date.now() + offsetOf(this.timeline)), work);
  }

  /** Today's business date in Asia/Shanghai, YYYY-MM-DD. */
  today(): string {
    return shanghaiDate(this.now());
  }

  /** A business date `days` from today (negative: in the past). */
  daysFromToday(days: number): string {
    return addDays(this.today(), days);
  }

  /** Tests only: moves the time of this process (every Clock on its timeline) forward or back. */
  advance(milliseconds: number): void {
    if (this.environment?.NODE_ENV !== 'test') throw new Error('Time can be moved only under NODE_ENV=test.');
    offsets.set(this.timeline, offsetOf(this.timeline) + milliseconds);
  }

  advanceDays(days: number): void {
    this.advance(days * DAY_MS);
  }

  /** Tests only: noon (Shanghai) of `date`, from which time runs on. */
  travelTo(date: string): void {
    this.advance(noonOf(date) - this.now().getTime());
  }
}
