/** The reduction figures of one district (or the sum over a city's districts) at one date. */
export interface ReductionFigures {
  subjectOffline: number;
  subjectOnline: number;
  students: number;
}

export const REDUCTION_SERIES = ['subjectInstitutions', 'subjectOffline', 'subjectOnline', 'students'] as const;
export type ReductionSeries = (typeof REDUCTION_SERIES)[number];

export interface ReductionRate {
  baseline: number;
  current: number;
  /** (current − baseline) / baseline, rounded to 4 decimals (−0.85 = −85%); null when the baseline is 0. */
  rate: number | null;
  /** e.g. "1,234 → 185 (−85.0%)". */
  display: string;
}

const LABELS: Record<ReductionSeries, string> = {
  subjectInstitutions: 'subject institutions',
  subjectOffline: 'subject institutions offline',
  subjectOnline: 'subject institutions online',
  students: 'pupils in off-campus training',
};

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function seriesValue(figures: ReductionFigures, series: ReductionSeries): number {
  return series === 'subjectInstitutions' ? figures.subjectOffline + figures.subjectOnline : figures[series];
}

/** One series' change from the baseline. The percentage uses a true minus sign, as printed reports do. */
export function reductionRate(baseline: number, current: number): ReductionRate {
  const arrow = `${integer.format(baseline)} → ${integer.format(current)}`;
  if (baseline === 0) return { baseline, current, rate: null, display: arrow };
  const ratio = (current - baseline) / baseline;
  const percent = (Math.abs(ratio) * 100).toFixed(1);
  const sign = percent === '0.0' ? '±' : ratio < 0 ? '−' : '+';
  return { baseline, current, rate: Math.round(ratio * 10_000) / 10_000, display: `${arrow} (${sign}${percent}%)` };
}

/** Every series' rate, labelled: `{ subjectInstitutions: { label, baseline, current, rate, display }, … }`. */
export function reductionRates(baseline: ReductionFigures, current: ReductionFigures) {
  return Object.fromEntries(
    REDUCTION_SERIES.map((series) => [series, { label: LABELS[series], ...reductionRate(seriesValue(baseline, series), seriesValue(current, series)) }]),
  ) as Record<ReductionSeries, ReductionRate & { label: string }>;
}
