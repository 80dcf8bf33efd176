// The "double reduction" figures of a district or city (baseline, latest, change), shared by the public
// lookup and the regulator's dashboard. Shape: GET /api/v1/public/stats/reduction and /api/v1/reduction.
import { lang, t } from './i18n.js';
import { h, table } from './ui.js';

const SERIES = ['subjectInstitutions', 'subjectOffline', 'subjectOnline', 'students'];
const count = (value) => (value === null || value === undefined ? '—' : Number(value).toLocaleString('en-US'));

export const areaName = (area) => (lang() === 'en' && area.nameEn ? area.nameEn : area.name) ?? area.districtCode;

/** A table: each series at the baseline and now, and the change as the API words it ("15,600 → 6,400 (−59.0%)"). */
export function reductionTable(stats) {
  if (!stats.baseline && !stats.latest) return h('p', { class: 'muted' }, t('reduction.none'));
  return table(
    ['', t('reduction.baseline', { date: stats.baseline?.date ?? '' }), t('reduction.latest', { date: stats.latest?.date ?? '' }), ''],
    SERIES.map((series) => [
      t(`reduction.${series}`),
      count(stats.baseline?.[series]),
      count(stats.latest?.[series]),
      h('strong', { 'data-series': series }, stats.rates?.[series]?.display?.replace(/^.*\(/, '').replace(/\)$/, '') ?? ''),
    ]),
    { class: 'reduction-table' },
  );
}
