// One institution as a parent sees it before paying: list colour, licence, courses and prices, teachers, risk, escrow.
import { ApiError, get, session, showProblem } from '../api.js';
import { date, money, t } from '../i18n.js';
import { add, alertBox, h, listBadge, mountPage, noPurchaseNotice, purchasable, riskBadge, section, table } from '../ui.js';

mountPage('search');
const main = document.getElementById('main');
const id = location.pathname.split('/').pop();

async function load() {
  try {
    render(await get(`/api/v1/public/institutions/${encodeURIComponent(id)}`));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      main.replaceChildren(
        h('section', { class: 'card warning-unlicensed', role: 'alert' }, h('h1', {}, '⚠ ', t('inst.notFound'))),
        h('p', {}, h('a', { href: '/' }, t('inst.back'))),
      );
      return;
    }
    const box = alertBox();
    main.replaceChildren(box);
    showProblem(box, error);
  }
}

function render(institution) {
  document.title = `${institution.name} · ${t('app.name')}`;
  const parent = session()?.role === 'parent';
  const buyLink = (course) => `/parent?buy=${encodeURIComponent(course.id)}&institution=${encodeURIComponent(institution.id)}`;
  const [courses, coursesBody] = section(t('inst.courses'));
  // Buying is offered only where the parent's page would sell (the white list); elsewhere the page says why.
  const buying = purchasable(institution);
  add(
    coursesBody,
    buying || !institution.courses.length ? null : noPurchaseNotice(institution),
    institution.courses.length
      ? table(
          [t('inst.course'), t('inst.subject'), t('inst.sizeBand'), t('inst.minutes'), t('inst.price'), ''],
          institution.courses.map((course) => [
            course.name,
            course.subject,
            course.sizeBand,
            t('inst.minutesValue', { n: course.lessonMinutes }),
            h('span', { class: 'money' }, money(course.lessonPriceFen)),
            buying ? h('a', { href: parent ? buyLink(course) : `/login?next=${encodeURIComponent(buyLink(course))}` }, t('inst.buy')) : '',
          ]),
        )
      : h('p', { class: 'muted' }, t('common.none')),
  );
  const [teachers, teachersBody] = section(t('inst.teachers'));
  add(
    teachersBody,
    institution.teachers.length
      ? table(
          [t('inst.teacher'), t('inst.subject'), t('inst.qualified'), ''],
          institution.teachers.map((teacher) => [
            teacher.name,
            (teacher.subjects ?? []).join('、'),
            h(
              'span',
              { class: `badge ${teacher.qualified ? 'risk-green' : 'risk-red'}` },
              teacher.qualified ? `✓ ${t('inst.qualified.yes')}` : `✗ ${t('inst.qualified.no')}`,
            ),
            teacher.fullTime ? t('inst.fullTime') : t('inst.partTime'),
          ]),
        )
      : h('p', { class: 'muted' }, t('common.none')),
  );

  main.replaceChildren(
    h('p', {}, h('a', { href: '/' }, '← ', t('inst.back'))),
    h('h1', {}, institution.name),
    h(
      'section',
      // Closed at its own request the institution is on no list (`list: null`, docs/domain.md "Licences").
      { class: `list-banner list-${institution.list ?? 'none'}`, 'data-testid': 'list-banner', 'aria-label': t('inst.list') },
      h('strong', {}, h('span', { class: 'swatch', 'aria-hidden': 'true' }), t(`list.${institution.list ?? 'none'}`)),
      h('p', {}, t(`list.${institution.list ?? 'none'}.explain`)),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('inst.licence')),
      h(
        'dl',
        { class: 'facts' },
        fact(t('inst.licenceNumber'), institution.licence.number ?? '—'),
        fact(t('inst.licenceStatus'), t(`status.${institution.licence.status}`)),
        fact(t('inst.validity'), `${date(institution.licence.validFrom)} ~ ${date(institution.licence.validUntil)}`),
        fact(
          t('inst.escrow'),
          h('span', { 'data-testid': 'escrow-supervised' }, institution.escrowSupervised ? `✓ ${t('inst.escrow.yes')}` : `✗ ${t('inst.escrow.no')}`),
        ),
        fact(t('inst.risk'), riskBadge(institution.riskLevel)),
        fact(t('inst.complaints'), String(institution.complaintsLast12Months ?? 0)),
        fact(t('inst.category'), `${t(`category.${institution.category}`)} · ${t(`delivery.${institution.delivery}`)}`),
        fact(t('inst.address'), institution.address),
        fact(t('inst.uscc'), institution.uscc),
        fact(t('inst.list'), institution.list ? listBadge(institution.list) : t('list.none')),
      ),
    ),
    courses,
    teachers,
  );
}

const fact = (label, value) => [h('dt', {}, label), h('dd', {}, value)];

load();
