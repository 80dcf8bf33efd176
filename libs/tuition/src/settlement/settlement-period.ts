import type { SettlementCycle } from '@app/registry';

/** The period a business date falls in for a cycle: D2026-11-29, W2026-48 (ISO week), M2026-11. */
export function settlementPeriod(cycle: SettlementCycle, businessDate: string): string {
  if (cycle === 'daily') return `D${businessDate}`;
  if (cycle === 'monthly') return `M${businessDate.slice(0, 7)}`;
  const [y, m, d] = businessDate.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this ISO week decides its year
  const isoYear = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000 + 1) / 7);
  return `W${isoYear}-${String(week).padStart(2, '0')}`;
}

/** Whether the scheduler's daily run should settle a district on this date: daily always, weekly on Mondays, monthly on the 1st. */
export function cycleDueOn(cycle: SettlementCycle, businessDate: string): boolean {
  if (cycle === 'daily') return true;
  if (cycle === 'monthly') return businessDate.endsWith('-01');
  const [y, m, d] = businessDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() === 1;
}

/** The retained part of a payable balance, in whole fen (rounded down: the institution is never over-held by a fen). */
export function retainedPart(payableFen: number, retentionRateBp: number): number {
  return Math.floor((payableFen * retentionRateBp) / 10_000);
}
