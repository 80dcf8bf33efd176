// Public lookup (no login, phone first): search the register by name, licence number or credit code.
import { get, optional, showProblem } from '../api.js';
import { date, t } from '../i18n.js';
import { areaName, reductionTable } from '../reduction.js';
import { alertBox, field, h, listBadge, mountPage, riskBadge } from '../ui.js';

mountPage('search');
const main = document.getElementById('main');
const params = new URLSearchParams(location.search);

const input = h('input', {
  id: 'q',
  name: 'q',
  type: 'search',
  required: true,
  maxlength: 100,
  value: params.get('q') ?? '',
  placeholder: t('search.placeholder'),
  autocomplete: 'off',
  enterkeyhint: 'search',
});
const form = h(
  'form',
  { role: 'search', class: 'search-form', onsubmit: (event) => (event.preventDefault(), search(input.value.trim())) },
  input,
  h('button', { type: 'submit' }, t('search.button')),
);
const errors = alertBox();
const results = h('div', { id: 'results', 'aria-live': 'polite' });
const reduction = h('section', { class: 'card', hidden: true, 'aria-labelledby': 'reduction-title' });

main.replaceChildren(
  h(
    'section',
    { class: 'card' },
    h('h1', {}, t('search.title')),
    h('p', { class: 'lead' }, t('search.lead')),
    h('label', { for: 'q', class: 'muted' }, t('search.label')),
    form,
    errors,
  ),
  results,
  reduction,
);
if (!params.get('q')) input.focus();

async function search(q) {
  if (!q) return;
  const url = new URL(location.href);
  url.searchParams.set('q', q);
  history.replaceState(null, '', url);
  errors.hidden = true;
  results.replaceChildren(h('p', { class: 'muted' }, t('common.loading')));
  try {
    const answer = await get('/api/v1/public/institutions', { q, pageSize: 20 });
    results.replaceChildren(answer.total === 0 ? notFound(q) : found(answer));
  } catch (error) {
    results.replaceChildren();
    showProblem(errors, error, form);
  }
}

/** The clear warning: a name that is not in the register is to be treated as unlicensed. */
function notFound(q) {
  return h(
    'section',
    { class: 'card warning-unlicensed', role: 'alert', 'data-testid': 'not-found' },
    h('h2', {}, '⚠ ', t('search.notFound.title', { q })),
    h('p', {}, t('search.notFound.body')),
    // A parent may report the name (a complaint of category unlicensed, with the district picked by name).
    h('p', {}, h('a', { href: `/parent?report=${encodeURIComponent(q)}` }, t('search.notFound.report'))),
  );
}

function found(answer) {
  return h(
    'div',
    {},
    h('p', { class: 'muted' }, t('search.results', { n: answer.total })),
    h(
      'ul',
      { class: 'results' },
      answer.items.map((item) =>
        h(
          'li',
          {},
          h(
            'a',
            { class: 'result', href: `/register/${item.id}` },
            h('span', { class: 'result-title' }, h('span', {}, item.name), listBadge(item.list)),
            h(
              'span',
              { class: 'result-meta' },
              h('span', {}, `${t('search.licence')} ${item.licence.number ?? '—'}`),
              h('span', {}, t(`status.${item.licence.status}`)),
              item.licence.validUntil ? h('span', {}, t('search.validUntil', { date: date(item.licence.validUntil) })) : null,
              h('span', {}, t(`category.${item.category}`), ' · ', t(`delivery.${item.delivery}`)),
              riskBadge(item.riskLevel),
            ),
          ),
        ),
      ),
    ),
  );
}

/** The district's reduction figures (baseline, latest, change), for the district chosen in the list. */
async function showReduction() {
  const districts = await optional('/api/v1/districts');
  if (!districts?.length) return;
  const chosen = params.get('districtCode') ?? (districts.some((district) => district.code === '430104') ? '430104' : districts[0].code);
  const figures = h('div', { 'aria-live': 'polite' });
  const select = field({
    name: 'districtCode',
    label: t('reduction.district'),
    value: chosen,
    options: districts.map((district) => [district.code, `${areaName(district)} ${district.code}`]),
  });
  const draw = async (code) => {
    const stats = await optional('/api/v1/public/stats/reduction', { districtCode: code });
    figures.replaceChildren(stats ? reductionTable(stats) : h('p', { class: 'muted' }, t('reduction.none')));
    return stats;
  };
  select.querySelector('select').addEventListener('change', (event) => draw(event.target.value));
  reduction.replaceChildren(h('h2', { id: 'reduction-title' }, t('reduction.title')), select, figures);
  // Hidden unless the reduction API answers: no panel rather than an empty one.
  reduction.hidden = !(await draw(chosen));
}

if (params.get('q')) search(params.get('q'));
showReduction();
