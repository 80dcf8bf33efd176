// An institution's desk: the licence application and its history, courses and teachers, roll call,
// refund requests, escrow and settlements (and monthly reports once that API answers).
import { get, newKey, optional, post, api, requireRole, showNotice, showProblem } from '../api.js';
import { addDays, date, dateTime, fenOf, money, shanghaiDate, shanghaiInstant, t } from '../i18n.js';
import {
  add,
  alertBox,
  ask,
  busy,
  districtField,
  confirmStep,
  dueCell,
  field,
  figure,
  fill,
  formValues,
  h,
  mountPage,
  notificationsSection,
  section,
  statusBadge,
  table,
} from '../ui.js';

const me = requireRole('institution');
mountPage('org');
const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const notices = alertBox();

/**
 * One Idempotency-Key per distinct money-moving request: a retry of the same body reuses it (the API
 * answers the first result), a changed body gets a new one (reusing it would be refused as a different request).
 */
function keyed() {
  let last = null;
  return (body) => {
    const text = JSON.stringify(body);
    if (!last || last.text !== text) last = { text, key: newKey() };
    return last.key;
  };
}

const APPLICATION_FIELDS = [
  { name: 'name', required: true, maxlength: 100 },
  { name: 'uscc', required: true, maxlength: 18, autocapitalize: 'characters', check: 'uscc', hint: '例 / e.g. 52430104MJJ000017A' },
  { name: 'districtCode', district: true },
  { name: 'address', required: true, maxlength: 200 },
  { name: 'category', options: () => ['subject', 'non_subject'].map((value) => [value, t(`category.${value}`)]) },
  { name: 'delivery', options: () => ['offline', 'online'].map((value) => [value, t(`delivery.${value}`)]) },
  { name: 'legalRepresentative', required: true, maxlength: 50 },
  { name: 'premisesAreaM2', type: 'number', required: true, min: 0, max: 1_000_000, inputmode: 'numeric' },
  { name: 'capacity', type: 'number', required: true, min: 1, max: 100_000, inputmode: 'numeric' },
  { name: 'phone', type: 'tel', required: true, check: 'phone', maxlength: 13, hint: '0731-88881234' },
];

/** The licence application; its district is picked by name from the districts the platform serves. */
function applicationSection(current, districts) {
  const editing = current && ['draft', 'returned'].includes(current.status);
  const errors = alertBox();
  const [element, body] = section(editing ? t('org.apply.edit') : t('org.apply.title'), { id: 'application' });
  const form = h(
    'form',
    { novalidate: true },
    h(
      'div',
      { class: 'form-grid' },
      APPLICATION_FIELDS.map(({ name, options, district, ...rest }) =>
        district
          ? districtField({ name, label: t(`org.apply.${name}`), value: current?.[name], districts })
          : field({ name, label: t(`org.apply.${name}`), value: current?.[name], options: options?.(), ...rest }),
      ),
    ),
    errors,
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit', class: 'secondary', value: 'save' }, t('org.apply.save')),
      h('button', { type: 'submit', value: 'submit' }, t('org.apply.submit')),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = event.submitter ?? form.querySelector('button[value=submit]');
    busy(
      button,
      async () => {
        const values = formValues(form);
        const saved = editing ? await api('PATCH', `/api/v1/institutions/${current.id}`, { body: values }) : await post('/api/v1/institutions', values);
        const id = saved.id ?? current.id;
        if (button.value === 'submit') await post(`/api/v1/institutions/${id}/submit`);
        location.assign(`/org?id=${id}`);
      },
      (error) => showProblem(errors, error, form),
    );
  });
  add(body, form);
  return element;
}

/**
 * What a licence state short of revocation means for the daily work (docs/domain.md "Licences"), with
 * the regulator's reason for the step that led there; null in the states that need no word.
 */
function licenceStateNotice(institution) {
  if (!['enrolment_stopped', 'suspended'].includes(institution.status)) return null;
  const step = institution.history.findLast((event) => event.toStatus === institution.status && event.fromStatus !== event.toStatus);
  return h(
    'div',
    { class: 'notice notice-warn', 'data-testid': 'licence-state' },
    h('strong', {}, t(`org.licence.${institution.status}`)),
    step?.reason ? h('p', {}, t('org.licence.reason', { reason: step.reason })) : null,
  );
}

function overviewSection(institution, districts = []) {
  const district = districts.find((area) => area.code === institution.districtCode);
  const [element, body] = section(institution.name, { id: 'overview' });
  const facts = h('dl', { class: 'facts' });
  for (const [label, value] of [
    [t('org.licence.state'), statusBadge('status', institution.status)],
    [t('inst.licenceNumber'), institution.licence.number ?? '—'],
    [t('inst.validity'), `${date(institution.licence.validFrom)} ~ ${date(institution.licence.validUntil)}`],
    [t('inst.risk'), t(`risk.${institution.riskLevel}`)],
    [t('inst.uscc'), institution.uscc],
    [t('common.district'), district ? `${district.name} ${district.code}` : institution.districtCode],
  ])
    facts.append(h('dt', {}, label), h('dd', {}, value));
  fill(
    body,
    facts,
    licenceStateNotice(institution),
    institution.frozen ? h('p', { class: 'notice notice-warn' }, t('org.escrow.frozen')) : null,
    h('h3', {}, t('org.history')),
    h(
      'ol',
      { class: 'timeline' },
      institution.history.map((event) =>
        h(
          'li',
          {},
          h('strong', {}, dateTime(event.at)),
          ' ',
          event.fromStatus === event.toStatus ? t(`action.${event.action}`) : `${t(`status.${event.fromStatus}`)} → ${t(`status.${event.toStatus}`)}`,
          event.reason ? h('span', { class: 'muted' }, ` — ${event.reason}`) : null,
        ),
      ),
    ),
  );
  return element;
}

function coursesSection(institution) {
  const errors = alertBox();
  const [element, body] = section(t('org.courses'), { id: 'courses' });
  const form = h(
    'form',
    { novalidate: true },
    h('h3', {}, t('org.addCourse')),
    h(
      'div',
      { class: 'form-grid' },
      field({ name: 'name', label: t('org.course.name'), required: true, maxlength: 100 }),
      field({ name: 'subject', label: t('org.course.subject'), required: true, maxlength: 30 }),
      field({ name: 'sizeBand', label: t('org.course.sizeBand'), options: ['<10', '10-35', '>35'].map((band) => [band, band]), value: '10-35' }),
      field({
        name: 'lessonMinutes',
        label: t('org.course.lessonMinutes'),
        type: 'number',
        required: true,
        min: 10,
        max: 240,
        value: institution.delivery === 'online' ? 30 : 45,
      }),
      field({
        name: 'lessonPrice',
        label: t('org.course.lessonPrice'),
        required: true,
        inputmode: 'decimal',
        placeholder: '80.00',
        check: 'yuan',
        'data-max-fen': 100_000_00,
      }),
    ),
    errors,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('org.addCourse'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(
      form.querySelector('button[type=submit]'),
      async () => {
        const { lessonPrice, ...values } = formValues(form);
        await post(`/api/v1/institutions/${institution.id}/courses`, { ...values, lessonPriceFen: fenOf(lessonPrice ?? '') });
        location.reload();
      },
      (error) => {
        if (error.errors?.length)
          error.errors = error.errors.map((fieldError) => (fieldError.field === 'lessonPriceFen' ? { ...fieldError, field: 'lessonPrice' } : fieldError));
        showProblem(errors, error, form);
      },
    );
  });
  add(
    body,
    institution.courses.length
      ? table(
          [t('org.course.name'), t('org.course.subject'), t('org.course.sizeBand'), t('inst.minutes'), t('inst.price')],
          institution.courses.map((course) => [
            course.name,
            course.subject,
            course.sizeBand,
            t('inst.minutesValue', { n: course.lessonMinutes }),
            money(course.lessonPriceFen),
          ]),
        )
      : h('p', { class: 'muted' }, t('common.none')),
    ['licensed'].includes(institution.status) ? form : null,
  );
  return element;
}

function teachersSection(institution) {
  const errors = alertBox();
  const [element, body] = section(t('org.teachers'), { id: 'teachers' });
  const form = h(
    'form',
    { novalidate: true },
    h('h3', {}, t('org.addTeacher')),
    h(
      'div',
      { class: 'form-grid' },
      field({ name: 'name', label: t('org.teacher.name'), required: true, maxlength: 50 }),
      field({
        name: 'qualificationNo',
        label: t('org.teacher.qualificationNo'),
        maxlength: 30,
        check: 'qualification',
        required: institution.category === 'subject',
      }),
      field({ name: 'subjects', label: t('org.teacher.subjects'), maxlength: 200 }),
      field({ name: 'fullTime', label: t('org.teacher.fullTime'), type: 'checkbox', value: true }),
    ),
    errors,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('org.addTeacher'))),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(
      form.querySelector('button[type=submit]'),
      async () => {
        const values = formValues(form);
        const subjects = (values.subjects ?? '').split(/[,，、\s]+/).filter(Boolean);
        await post(`/api/v1/institutions/${institution.id}/teachers`, { ...values, subjects });
        location.reload();
      },
      (error) => showProblem(errors, error, form),
    );
  });
  add(
    body,
    institution.teachers.length
      ? table(
          [t('org.teacher.name'), t('inst.subject'), t('inst.qualified'), ''],
          institution.teachers.map((teacher) => [
            teacher.name,
            (teacher.subjects ?? []).join('、'),
            teacher.qualificationNo ? `✓ ${teacher.qualificationNo}` : `✗ ${t('inst.qualified.no')}`,
            teacher.fullTime ? t('inst.fullTime') : t('inst.partTime'),
          ]),
        )
      : h('p', { class: 'muted' }, t('common.none')),
    ['licensed', 'draft', 'returned', 'submitted'].includes(institution.status) ? form : null,
  );
  return element;
}

/** The roll call: one lesson recorded for every pupil present, in one all-or-nothing request. */
function rollCallSection(institution, contracts) {
  const errors = alertBox();
  const [element, body] = section(t('org.rollcall.title'), { id: 'roll-call' });
  const pupils = h('fieldset', { class: 'pupils-box', 'data-min-checked': 1 });
  const courseSelect = field({
    name: 'courseId',
    label: t('org.rollcall.course'),
    options: institution.courses.map((course) => [course.id, `${course.name} · ${money(course.lessonPriceFen)}`]),
  });
  const minutes = field({
    name: 'minutes',
    label: t('org.rollcall.minutes'),
    type: 'number',
    required: true,
    min: 10,
    max: 240,
    value: institution.courses[0]?.lessonMinutes ?? 45,
  });
  const form = h(
    'form',
    { novalidate: true },
    h(
      'div',
      { class: 'form-grid' },
      courseSelect,
      field({ name: 'startsAt', label: t('org.rollcall.startsAt'), type: 'datetime-local', required: true, value: `${shanghaiDate()}T16:00` }),
      minutes,
    ),
    pupils,
    errors,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('org.rollcall.button'))),
  );
  const select = form.elements.namedItem('courseId');
  const drawPupils = () => {
    const course = institution.courses.find((candidate) => candidate.id === select.value);
    if (course) form.elements.namedItem('minutes').value = course.lessonMinutes;
    const present = contracts.filter((contract) => contract.courseId === select.value && contract.status === 'active' && contract.lessonsRemaining > 0);
    fill(
      pupils,
      h('legend', {}, t('org.rollcall.pupils'), ` (${present.length})`),
      present.length
        ? h(
            'ul',
            { class: 'pupils' },
            present.map((contract) =>
              h(
                'li',
                {},
                field({
                  name: 'contractIds',
                  label: `${contract.studentName} · ${t('parent.lessonsLeft', { n: contract.lessonsRemaining, total: contract.lessons })}`,
                  type: 'checkbox',
                  value: true,
                  'data-contract-id': contract.id,
                }),
              ),
            ),
          )
        : h('p', { class: 'muted' }, t('org.rollcall.none')),
    );
    for (const box of pupils.querySelectorAll('input[type=checkbox]')) box.value = box.dataset.contractId;
  };
  select.addEventListener('change', drawPupils);
  drawPupils();
  const keyFor = keyed();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(
      form.querySelector('button[type=submit]'),
      async () => {
        const values = formValues(form);
        const contractIds = [...pupils.querySelectorAll('input[type=checkbox]:checked')].map((box) => box.value);
        const request = { courseId: select.value, startsAt: values.startsAt ? shanghaiInstant(values.startsAt) : '', minutes: values.minutes, contractIds };
        const lesson = await post('/api/v1/lessons', request, { idempotencyKey: keyFor(request) });
        const total = lesson.consumptions.reduce((sum, consumption) => sum + consumption.amountFen, 0);
        showNotice(errors, t('org.rollcall.done', { n: lesson.consumptions.length, amount: money(total) }));
        await redraw('escrow', () => moneySection(institution));
      },
      (error) => showProblem(errors, error, form),
    );
  });
  add(body, institution.courses.length ? form : h('p', { class: 'muted' }, t('common.none')));
  return element;
}

/** Draws a section again in its place (figures and lists after an action), by its id. */
async function redraw(id, build) {
  const fresh = await build();
  document.getElementById(id)?.replaceWith(fresh);
}

const contractsOf = async (institution) =>
  (await get('/api/v1/contracts', { pageSize: 100 })).items.filter((contract) => contract.institutionId === institution.id);

/** Renewal opens this many days before the licence's last day (docs/domain.md "Licences"). */
const RENEWAL_OPENS_DAYS = 90;

/**
 * Applying to renew the licence: from 90 days before `validUntil` (before then, the date it opens);
 * while an application awaits the regulator, "续期审核中" and when it was made.
 */
function renewalSection(institution, redraw) {
  const errors = alertBox();
  const [element, body] = section(t('org.renewal'), { id: 'renewal' });
  const until = institution.licence.validUntil;
  const opens = addDays(until, -RENEWAL_OPENS_DAYS);
  if (institution.renewalAppliedAt) {
    add(
      body,
      h('p', {}, h('span', { class: 'badge status', 'data-testid': 'renewal-pending' }, t('org.renewal.pending'))),
      h('p', {}, t('org.renewal.pendingText', { date: shanghaiDate(institution.renewalAppliedAt), n: institution.renewalValidYears ?? 3 })),
    );
    return element;
  }
  // The device's date decides whether the button is on; the API decides for certain (422 LICENCE.RENEWAL_NOT_OPEN).
  const open = shanghaiDate() >= opens;
  const form = h(
    'form',
    { class: 'inline-form', novalidate: true },
    field({ name: 'validYears', label: t('org.renewal.years'), options: [1, 2, 3, 4, 5].map((n) => [n, t('reg.renewal.yearsValue', { n })]), value: 3 }),
    h('button', { type: 'submit', disabled: !open }, t('org.renewal.apply')),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const validYears = Number(form.elements.namedItem('validYears').value);
    const sure = await confirmStep({ title: t('org.renewal.apply'), text: t('org.renewal.confirm', { n: validYears }), confirm: t('org.renewal.apply') });
    if (!sure) return;
    await busy(
      form.querySelector('button[type=submit]'),
      async () => {
        await post(`/api/v1/institutions/${institution.id}/renewals`, { validYears });
        await redraw();
        showNotice(notices, t('org.renewal.done'));
      },
      (error) => showProblem(errors, error, form),
    );
  });
  add(
    body,
    h('p', { 'data-testid': 'renewal-window' }, open ? t('org.renewal.open', { until: date(until) }) : t('org.renewal.notYet', { until: date(until), opens })),
    form,
    errors,
  );
  return element;
}

/**
 * Complaints about the institution, overdue first then by deadline (docs/domain.md "Complaints"): the
 * owner answers each until a regulator closes it; a later answer replaces the earlier one.
 */
async function complaintsSection(institution) {
  const answer = await optional('/api/v1/complaints', { pageSize: 100 });
  if (!answer) return null;
  const errors = alertBox();
  const [element, body] = section(t('org.complaints'), { id: 'complaints' });
  const redraw = async () => element.replaceWith((await complaintsSection(institution)) ?? h('div'));
  const complaints = answer.items
    .filter((complaint) => complaint.institutionId === institution.id)
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || String(a.dueOn ?? '9999').localeCompare(String(b.dueOn ?? '9999')));
  const answerButton = (complaint) =>
    h(
      'button',
      {
        type: 'button',
        class: 'small',
        onclick: async (event) => {
          const button = event.currentTarget;
          const label = complaint.answer ? t('org.complaint.reanswer') : t('org.complaint.answer');
          const reply = await ask({
            title: label,
            text: complaint.description,
            label: t('org.complaint.answerLabel'),
            confirm: label,
            value: complaint.answer ?? '',
          });
          if (reply === null) return;
          await busy(
            button,
            async () => {
              await post(`/api/v1/complaints/${complaint.id}/answer`, { reply });
              await redraw();
              showNotice(notices, t('org.complaint.done'));
            },
            (error) => showProblem(errors, error),
          );
        },
      },
      complaint.answer ? t('org.complaint.reanswer') : t('org.complaint.answer'),
    );
  add(
    body,
    complaints.length ? h('p', { class: 'muted' }, t('org.complaints.note')) : null,
    errors,
    complaints.length
      ? table(
          [
            t('parent.complaint.category'),
            t('parent.complaint.description'),
            t('common.date'),
            t('common.status'),
            t('complaint.dueOn'),
            t('complaint.answer'),
            t('common.actions'),
          ],
          complaints.map((complaint) =>
            h('tr', { 'data-complaint-id': complaint.id }, [
              h('td', {}, t(`complaint.${complaint.category}`)),
              h('td', {}, complaint.description),
              h('td', {}, dateTime(complaint.createdAt)),
              h('td', {}, statusBadge('complaintStatus', complaint.status)),
              h('td', {}, dueCell(complaint)),
              h('td', { class: 'complaint-answer' }, complaint.answer ?? h('span', { class: 'muted' }, t('complaint.noAnswer'))),
              h('td', {}, ['resolved', 'dismissed'].includes(complaint.status) ? '' : answerButton(complaint)),
            ]),
          ),
        )
      : h('p', { class: 'muted' }, t('org.complaints.none')),
  );
  return element;
}

/**
 * Refund requests waiting for an answer, each with what it would return now (the contract's escrow less
 * lessons still waiting for confirmation) and the day it is deemed accepted; after an answer the list and
 * the escrow figures are drawn again.
 */
async function refundsSection(institution) {
  const errors = alertBox();
  const [element, body] = section(t('org.refunds'), { id: 'refunds' });
  const [requests, contracts] = await Promise.all([get('/api/v1/refund-requests', { status: 'requested' }), contractsOf(institution)]);
  const contractOf = (contractId) => contracts.find((contract) => contract.id === contractId);
  const student = (contractId) => contractOf(contractId)?.studentName ?? contractId.slice(0, 8);
  const answer = async (button, request, outcome) => {
    const reason = await ask({ title: t(`org.refund.${outcome}`), label: t('common.reason'), required: outcome === 'reject' });
    if (reason === null) return;
    const body = reason ? { reason } : {};
    await busy(
      button,
      async () => {
        await post(`/api/v1/refund-requests/${request.id}/${outcome}`, body, outcome === 'accept' ? { idempotencyKey: newKey() } : {});
        // The list, the escrow figures and the roll call's pupils (a refunded contract has no lessons left) are drawn again.
        await Promise.all([
          redraw('refunds', () => refundsSection(institution)),
          redraw('escrow', () => moneySection(institution)),
          document.getElementById('roll-call') ? redraw('roll-call', async () => rollCallSection(institution, await contractsOf(institution))) : null,
        ]);
      },
      (error) => showProblem(errors, error),
    );
  };
  add(
    body,
    errors,
    requests.length
      ? table(
          [t('parent.student'), t('common.reason'), t('refund.amount'), t('refund.requestedOn'), t('refund.deadline'), t('common.actions')],
          requests.map((request) => [
            student(request.contractId),
            request.reason,
            h('strong', { 'data-field': 'refundFen' }, money(request.amountFen ?? contractOf(request.contractId)?.availableFen ?? 0)),
            dateTime(request.createdAt),
            h('span', { 'data-field': 'deemedAcceptedAt' }, t('org.refund.deadline', { date: dateTime(request.deemedAcceptedAt) })),
            h(
              'span',
              { class: 'buttons' },
              h('button', { type: 'button', class: 'small', onclick: (event) => answer(event.currentTarget, request, 'accept') }, t('org.refund.accept')),
              h(
                'button',
                { type: 'button', class: 'small secondary', onclick: (event) => answer(event.currentTarget, request, 'reject') },
                t('org.refund.reject'),
              ),
            ),
          ]),
        )
      : h('p', { class: 'muted' }, t('org.refunds.none')),
  );
  return element;
}

async function moneySection(institution) {
  const [element, body] = section(t('org.escrow'), { id: 'escrow' });
  const [escrow, settlements, payouts, contracts] = await Promise.all([
    get(`/api/v1/institutions/${institution.id}/escrow`),
    get('/api/v1/settlements', { institutionId: institution.id }),
    get('/api/v1/payout-instructions', { institutionId: institution.id }),
    contractsOf(institution),
  ]);
  const held = payouts.items.filter((payout) => payout.status === 'held');
  // Parents' payment orders the bank has not confirmed yet: not in escrow, and not the institution's to count on.
  const waiting = contracts.flatMap((contract) => contract.payments.filter((payment) => payment.status === 'pending'));
  const balance = (code) => escrow.accounts.find((account) => account.code === code)?.balanceFen ?? 0;
  add(
    body,
    escrow.frozen ? h('p', { class: 'notice notice-warn' }, t('org.escrow.frozen')) : null,
    held.length
      ? h(
          'p',
          { class: 'notice notice-warn', 'data-testid': 'held-payouts' },
          t('org.payouts.held', { n: held.length, amount: money(held.reduce((sum, payout) => sum + payout.amountFen, 0)) }),
        )
      : null,
    waiting.length
      ? h(
          'p',
          { class: 'notice notice-warn', 'data-testid': 'orders-waiting' },
          t('org.orders.waiting', { n: waiting.length, amount: money(waiting.reduce((sum, payment) => sum + payment.amountFen, 0)) }),
        )
      : null,
    h(
      'div',
      { class: 'figures' },
      figure(t('org.escrow.escrow'), money(escrow.contracts.escrowFen), { 'data-field': 'escrowFen' }),
      figure(t('org.escrow.pending'), money(escrow.contracts.pendingFen), { 'data-field': 'pendingFen' }),
      figure(t('org.escrow.payable'), money(balance('payable')), { 'data-field': 'payableFen' }),
      figure(t('org.escrow.reserve'), money(balance('reserve')), { 'data-field': 'reserveFen' }),
    ),
    h('h3', {}, t('org.settlements')),
    settlements.items.length
      ? table(
          [
            t('common.date'),
            t('reg.settlement.period'),
            t('reg.settlement.payable'),
            t('reg.settlement.payout'),
            t('reg.settlement.retained'),
            t('reg.settlement.released'),
          ],
          settlements.items.map((row) => [
            row.businessDate,
            row.period,
            money(row.payableFen),
            money(row.payoutFen),
            money(row.retainedFen),
            money(row.releasedFen),
          ]),
        )
      : h('p', { class: 'muted' }, t('org.settlements.none')),
    h('h3', {}, t('org.payouts')),
    payoutTable(payouts.items),
  );
  return element;
}

/** The payouts the bank is told to make to the institution, with what the bank did (or may not do: held). */
function payoutTable(items) {
  return items.length
    ? table(
        [t('common.date'), t('payout.kindLabel'), t('payout.amount'), t('common.status')],
        items.map((row) => [shanghaiDate(row.createdAt), t(`payout.kind.${row.kind}`), money(row.amountFen), statusBadge('payout', row.status)]),
      )
    : h('p', { class: 'muted' }, t('org.payouts.none'));
}

const REPORT_FIELDS = ['students', 'newContracts', 'lessonsDelivered', 'prepaidCollectedFen', 'refundsFen', 'teachers', 'fullTimeTeachers'];
const isMoney = (name) => name.endsWith('Fen');
const yuanOf = (fen) => (fen / 100).toFixed(2);

/** Monthly reports: the form pre-filled from the ledger, and the reports filed. Shown only when the reports API answers. */
async function reportsSection(institution) {
  const reports = await optional('/api/v1/reports', { institutionId: institution.id, pageSize: 24 });
  if (!reports) return null;
  const errors = alertBox();
  const [element, body] = section(t('org.reports'), { id: 'reports' });
  const month = shanghaiDate().slice(0, 7);
  const form = h(
    'form',
    { novalidate: true },
    h(
      'div',
      { class: 'form-grid' },
      field({ name: 'month', label: t('report.month'), type: 'month', required: true, value: month, max: month }),
      REPORT_FIELDS.map((name) =>
        field({
          name,
          label: t(`report.${name}`),
          type: isMoney(name) ? 'text' : 'number',
          inputmode: isMoney(name) ? 'decimal' : 'numeric',
          min: isMoney(name) ? null : 0,
          max: isMoney(name) ? null : 10_000_000,
          check: isMoney(name) ? 'yuan' : null,
          'data-min-fen': isMoney(name) ? 0 : null,
          required: true,
        }),
      ),
    ),
    errors,
    h(
      'div',
      { class: 'buttons' },
      h(
        'button',
        { type: 'button', class: 'secondary', onclick: (event) => busy(event.currentTarget, prefill, (error) => showProblem(errors, error, form)) },
        t('report.prefill'),
      ),
      h('button', { type: 'submit' }, t('report.file')),
    ),
  );
  async function prefill() {
    const figures = await get('/api/v1/reports/prefill', { month: form.elements.namedItem('month').value, institutionId: institution.id });
    for (const name of REPORT_FIELDS) form.elements.namedItem(name).value = isMoney(name) ? yuanOf(figures[name]) : figures[name];
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(
      form.querySelector('button[type=submit]'),
      async () => {
        const values = formValues(form);
        for (const name of REPORT_FIELDS) if (isMoney(name)) values[name] = fenOf(values[name] ?? '');
        await post('/api/v1/reports', { ...values, institutionId: institution.id });
        element.replaceWith(await reportsSection(institution));
        showNotice(notices, t('report.done'));
      },
      (error) => showProblem(errors, error, form),
    );
  });
  add(
    body,
    form,
    reports.items.length
      ? table(
          [t('report.month'), t('common.status'), t('report.students'), t('report.prepaidCollectedFen'), t('report.discrepancies')],
          reports.items.map((report) => [
            [report.month, report.late ? h('span', { class: 'badge risk-red' }, t('report.late')) : null],
            statusBadge('reportStatus', report.status),
            String(report.students ?? '—'),
            report.prepaidCollectedFen === null ? '—' : money(report.prepaidCollectedFen),
            (report.discrepancies ?? []).map((d) =>
              h(
                'div',
                {},
                `⚠ ${t(`report.${d.field}`)}: ${isMoney(d.field) ? money(d.filed) : d.filed} ≠ ${isMoney(d.field) ? money(d.computed) : d.computed}`,
              ),
            ),
          ]),
        )
      : null,
  );
  await prefill().catch(() => undefined); // best effort: an empty form is still usable
  return element;
}

async function start() {
  if (!me) return;
  try {
    const mine = (await get('/api/v1/institutions', { pageSize: 100 })).items;
    // The first licensed institution unless the address names one: that is where the daily work is.
    const chosenId = params.get('id') ?? (mine.find((item) => item.status === 'licensed') ?? mine[0])?.id;
    const picker = h(
      'div',
      { class: 'inline-form' },
      mine.length
        ? field({
            name: 'institution',
            label: t('org.mine'),
            value: chosenId,
            options: mine.map((item) => [item.id, `${item.name} · ${t(`status.${item.status}`)}`]),
            onchange: (event) => location.assign(`/org?id=${event.target.value}`),
          })
        : h('p', { class: 'muted' }, t('org.none')),
      h('a', { href: '/org?id=new', class: 'badge' }, '+ ', t('org.apply.new')),
    );
    main.replaceChildren(h('h1', {}, t('org.title')), picker, notices);
    const districts = (await optional('/api/v1/districts')) ?? [];
    if (!chosenId || chosenId === 'new') {
      main.append(applicationSection(null, districts));
      return;
    }
    const institution = await get(`/api/v1/institutions/${chosenId}`);
    main.append(overviewSection(institution, districts));
    if (['draft', 'returned'].includes(institution.status)) main.append(applicationSection(institution, districts));
    if (!['licensed', 'suspended', 'enrolment_stopped', 'expired', 'revoked', 'closed'].includes(institution.status)) {
      main.append(teachersSection(institution));
      return;
    }
    const contracts = await contractsOf(institution);
    // Lessons go on while enrolment is stopped; suspension stops them (docs/domain.md "Licences").
    if (['licensed', 'enrolment_stopped'].includes(institution.status)) main.append(rollCallSection(institution, contracts));
    if (institution.status === 'licensed') {
      // After applying, the overview (its history) and this section are drawn again from the API's answer.
      const redraw = async () => {
        const fresh = await get(`/api/v1/institutions/${institution.id}`);
        document.getElementById('overview')?.replaceWith(overviewSection(fresh, districts));
        document.getElementById('renewal')?.replaceWith(renewalSection(fresh, redraw));
      };
      main.append(renewalSection(institution, redraw));
    }
    const complaints = await complaintsSection(institution);
    if (complaints) main.append(complaints);
    main.append(
      await refundsSection(institution),
      await moneySection(institution),
      h('div', { class: 'two-columns' }, coursesSection(institution), teachersSection(institution)),
    );
    const reports = await reportsSection(institution);
    if (reports) main.append(reports);
    const notifications = await notificationsSection(() => optional('/api/v1/notifications', { pageSize: 10 }));
    if (notifications) main.append(notifications);
  } catch (error) {
    showProblem(notices, error);
  }
}

start();
