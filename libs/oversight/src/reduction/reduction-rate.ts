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
  /** (current − baseline) / baseline, rounded half away from zero to 4 decimals (−0.85 = −85%); null when the baseline is 0. */
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

/**
 * `numerator / denominator` scaled by `scale` and rounded half away from zero, in integers only: the
 * figures are counts, so the rates are exact and the same on every machine (docs/domain.md, "Reduction").
 */
export function scaledRatio(numerator: number, denominator: number, scale: number): number {
  const magnitude = Math.floor((2 * Math.abs(numerator) * scale + denominator) / (2 * denominator));
  return numerator < 0 ? -magnitude : magnitude;
}

/**
 * One series' change from the baseline: the rate in basis points of the baseline, given as a ratio with
 * 4 decimals (−0.8462 = −84.62%), and no rate at all against a baseline of 0 (growth from nothing is no
 * percentage). The percentage uses a true minus sign, as printed reports do.
 */
export function reductionRate(baseline: number, current: number): ReductionRate {
  const arrow = `${integer.format(baseline)} → ${integer.format(current)}`;
  if (baseline === 0) return { baseline, current, rate: null, display: arrow };
  const basisPoints = scaledRatio(current - baseline, baseline, 10_000);
  const tenthsOfPercent = scaledRatio(current - baseline, baseline, 1_000);
  const percent = `${Math.floor(Math.abs(tenthsOfPercent) / 10)}.${Math.abs(tenthsOfPercent) % 10}`;
  const sign = tenthsOfPercent === 0 ? '±' : tenthsOfPercent < 0 ? '−' : '+';
  return { baseline, current, rate: basisPoints / 10_000, display: `${arrow} (${sign}${percent}%)` };
}

/** Every series' rate, labelled: `{ subjectInstitutions: { label, baseline, current, rate, display }, … }`. */
export function reductionRates(baseline: ReductionFigures, current: ReductionFigures) {
  return Object.fromEntries(
    REDUCTION_SERIES.map((series) => [series, { label: LABELS[series], ...reductionRate(seriesValue(baseline, series), seriesValue(current, series)) }]),
  ) as Record<ReductionSeries, ReductionRate & { label: string }>;
}
