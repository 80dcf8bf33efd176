// The regulator's dashboard: the day's work, institutions and their licence actions, escrow, settlements,
// the ledger check. Alerts, complaints, reports and reduction come from the oversight API: each panel
// appears only when its endpoint answers 200, and nothing is shown in its place before that.
import { get, newKey, optional, post, requireRole, showNotice, showProblem } from '../api.js';
import { date, dateTime, has, money, shanghaiDate, t } from '../i18n.js';
import { areaName, reductionTable } from '../reduction.js';
import {
  add,
  alertBox,
  ask,
  busy,
  districtField,
  dueCell,
  field,
  figure,
  fill,
  formValues,
  h,
  mountPage,
  riskBadge,
  section,
  statusBadge,
  table,
} from '../ui.js';

const me = requireRole('regulator', 'admin');
mountPage('regulator');
const main = document.getElementById('main');
const notices = alertBox();
const RISK_ORDER = { red: 0, yellow: 1, green: 2 };
/** A rule's evidence as "complaints30d 4 · threshold 2" (nested objects in parentheses). */
const evidenceText = (evidence) =>
  Object.entries(evidence ?? {})
    .map(([name, value]) => (value && typeof value === 'object' ? `${name} (${evidenceText(value)})` : `${name} ${value}`))
    .join(' · ');

/** Every item of a paged list (pages of 100), for a queue that must not stop at the first page. */
async function everyPage(path, query) {
  const items = [];
  for (let page = 1; ; page++) {
    const answer = await get(path, { ...query, page, pageSize: 100 });
    items.push(...answer.items);
    if (!answer.items.length || items.length >= answer.total) return items;
  }
}

/** Charts drawn once their canvas is in the page (Chart.js measures its container). */
let afterMount = [];

/**
 * A row button that asks for a reason in a dialog saying what the step does (`text`), then calls the
 * API; on success the row is redrawn by `done`. Cancelling the dialog changes nothing.
 */
function actionButton(label, { title = label, text = null, askLabel = t('common.reason'), kind = 'secondary', errors, call, done }) {
  return h(
    'button',
    {
      type: 'button',
      class: `small ${kind}`,
      onclick: async (event) => {
        const button = event.currentTarget;
        const answer = await ask({ title, text, label: askLabel, confirm: label });
        if (answer === null) return;
        await busy(
          button,
          async () => (await call(answer), await done()),
          (error) => showProblem(errors, error),
        );
      },
    },
    label,
  );
}

// ── The day's work ────────────────────────────────────────────────────────────────────────────────
function workCards(counts) {
  const card = (key, href, value) =>
    value === null
      ? null
      : h('a', { class: `work-card${value > 0 ? ' attention' : ''}`, href, 'data-work': key }, h('strong', {}, String(value)), t(`reg.${key}`));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'today-title' },
    h('h2', { id: 'today-title' }, t('reg.today')),
    h(
      'div',
      { class: 'work-cards' },
      card('toReview', '#applications', counts.toReview),
      card('disputed', '#disputed', counts.disputed),
      card('alerts', '#alerts', counts.alerts),
      card('renewals', '#renewals', counts.renewals),
      card('complaints', '#complaints', counts.complaints),
      card('lateReports', '#reports', counts.reports),
    ),
    [counts.alerts, counts.complaints, counts.reports].includes(null) ? h('p', { class: 'oversight-note' }, t('reg.oversightPending')) : null,
  );
}

// ── Applications to review ───────────────────────────────────────────────────────────────────────
function applicationsSection(submitted, refresh) {
  const errors = alertBox();
  const [element, body] = section(t('reg.toReview'), { id: 'applications' });
  const review = (institution, decision) =>
    actionButton(t(`reg.review.${decision}`), {
      title: `${t(`reg.review.${decision}`)}: ${institution.name}`,
      kind: decision === 'approve' ? '' : decision === 'reject' ? 'danger' : 'secondary',
      errors,
      call: (reason) => post(`/api/v1/institutions/${institution.id}/review`, { decision, reason }),
      done: refresh,
    });
  add(
    body,
    errors,
    submitted.items.length
      ? table(
          [t('common.name'), t('common.district'), t('inst.category'), t('inst.uscc'), t('common.date'), t('common.actions')],
          submitted.items.map((institution) =>
            h('tr', { 'data-institution-id': institution.id }, [
              h('td', {}, institution.name, h('br'), h('small', { class: 'muted' }, institution.address)),
              h('td', {}, institution.districtCode),
              h('td', {}, `${t(`category.${institution.category}`)} · ${t(`delivery.${institution.delivery}`)}`),
              h('td', {}, institution.uscc),
              h('td', {}, dateTime(institution.updatedAt)),
              h('td', {}, h('span', { class: 'buttons' }, review(institution, 'approve'), review(institution, 'return'), review(institution, 'reject'))),
            ]),
          ),
        )
      : h('p', { class: 'muted' }, t('reg.review.none')),
  );
  return element;
}

// ── Disputed lessons ─────────────────────────────────────────────────────────────────────────────
function disputedSection(disputed, refresh) {
  const errors = alertBox();
  const [element, body] = section(t('reg.disputed'), { id: 'disputed' });
  const resolve = (lesson, outcome) => {
    const key = newKey();
    return actionButton(t(`reg.resolve.${outcome}`), {
      errors,
      kind: outcome === 'void' ? 'danger' : '',
      call: (reason) => post(`/api/v1/consumptions/${lesson.id}/resolve`, { outcome, reason }, { idempotencyKey: key }),
      done: refresh,
    });
  };
  add(
    body,
    errors,
    disputed.items.length
      ? table(
          [t('common.name'), t('inst.course'), t('parent.student'), t('common.date'), t('common.amount'), t('common.reason'), t('common.actions')],
          disputed.items.map((lesson) => [
            lesson.institutionName,
            lesson.courseName,
            lesson.studentName,
            dateTime(lesson.startsAt),
            money(lesson.amountFen),
            lesson.disputeReason ?? '—',
            h('span', { class: 'buttons' }, resolve(lesson, 'confirm'), resolve(lesson, 'void')),
          ]),
        )
      : h('p', { class: 'muted' }, t('reg.disputed.none')),
  );
  return element;
}

// ── Oversight panels (shown only when their API answers) ────────────────────────────────────────
function alertsSection(alerts, refresh) {
  const errors = alertBox();
  const [element, body] = section(t('reg.alerts'), { id: 'alerts' });
  const items = alerts.items;
  add(
    body,
    errors,
    items.length
      ? table(
          [t('common.name'), t('reg.risk.flags'), t('inst.risk'), t('common.date'), '', t('common.actions')],
          items.map((alert) =>
            h('tr', { 'data-alert-id': alert.id }, [
              h('td', {}, alert.institutionName ?? '—'),
              h('td', {}, alert.ruleCode),
              h('td', {}, alert.severity ? riskBadge(alert.severity) : ''),
              h('td', {}, dateTime(alert.createdAt)),
              h('td', {}, h('small', { class: 'muted' }, evidenceText(alert.evidence))),
              h(
                'td',
                {},
                actionButton(t('reg.alert.resolve'), {
                  askLabel: t('common.note'),
                  errors,
                  kind: '',
                  call: (note) => post(`/api/v1/risk/alerts/${alert.id}/resolve`, { note }),
                  done: refresh,
                }),
              ),
            ]),
          ),
        )
      : h('p', { class: 'muted' }, t('reg.alert.none')),
  );
  return element;
}

/**
 * Complaints awaiting a decision or verified, overdue first then by deadline: whether a regulator has
 * verified each, its handling deadline (docs/domain.md "Complaints"), the institution's answer, and
 * the moves the complaint's state allows (complaint-transitions: open → in_progress | verified,
 * in_progress → verified | resolved | dismissed, verified → resolved | dismissed).
 */
function complaintsSection(complaints, refresh) {
  const errors = alertBox();
  const [element, body] = section(t('reg.complaints'), { id: 'complaints' });
  const move = (complaint, to, label, text = null) =>
    actionButton(label, {
      title: `${label}: ${complaint.institutionName ?? ''}`,
      text,
      askLabel: t('parent.complaint.reply'),
      errors,
      kind: to === 'dismissed' ? 'danger' : to === 'verified' ? '' : 'secondary',
      call: (reply) => post(`/api/v1/complaints/${complaint.id}/transition`, { to, reply }),
      done: refresh,
    });
  const moves = (complaint) => {
    const verify = () => move(complaint, 'verified', t('reg.complaint.verify'), t('reg.complaint.verify.explain'));
    if (complaint.status === 'open') return [move(complaint, 'in_progress', t('reg.complaint.inProgress')), verify()];
    const close = [move(complaint, 'resolved', t('reg.complaint.resolve')), move(complaint, 'dismissed', t('reg.complaint.dismiss'))];
    return complaint.status === 'in_progress' ? [verify(), ...close] : close;
  };
  const ordered = [...complaints].sort(
    (a, b) =>
      Number(b.overdue) - Number(a.overdue) || String(a.dueOn ?? '9999').localeCompare(String(b.dueOn ?? '9999')) || a.createdAt.localeCompare(b.createdAt),
  );
  add(
    body,
    errors,
    ordered.length
      ? table(
          [
            t('common.name'),
            t('parent.complaint.category'),
            t('parent.complaint.description'),
            t('common.status'),
            t('complaint.verification'),
            t('complaint.dueOn'),
            t('complaint.answer'),
            t('common.actions'),
          ],
          ordered.map((complaint) =>
            h('tr', { 'data-complaint-id': complaint.id }, [
              h(
                'td',
                {},
                complaint.institutionName ?? '—',
                complaint.institutionId ? null : h('span', { class: 'badge list-black' }, t('complaint.unlicensed')),
              ),
              h(
                'td',
                {},
                t(`complaint.${complaint.category}`),
                complaint.contractId ? h('small', { class: 'muted' }, ` · ${t('complaint.contractLinked')}`) : null,
              ),
              h('td', {}, complaint.description),
              h('td', {}, statusBadge('complaintStatus', complaint.status)),
              h(
                'td',
                { 'data-verified': complaint.verifiedAt ? 'true' : 'false' },
                complaint.verifiedAt
                  ? h('span', { class: 'badge risk-green' }, `✓ ${t('complaint.verified')} ${shanghaiDate(complaint.verifiedAt)}`)
                  : h('span', { class: 'muted' }, t('complaint.unverified')),
              ),
              h('td', {}, dueCell(complaint)),
              h('td', {}, complaint.answer ?? h('span', { class: 'muted' }, t('complaint.noAnswer'))),
              h('td', {}, h('span', { class: 'buttons' }, moves(complaint))),
            ]),
          ),
        )
      : h('p', { class: 'muted' }, t('reg.complaint.none')),
  );
  return element;
}

/**
 * Renewals awaiting a decision, oldest application first, with the licence's last day: granted, the new
 * validity starts the day after it (docs/domain.md "Licences"); still undecided then, deemed granted.
 */
function renewalsSection(pending, refresh) {
  const errors = alertBox();
  const [element, body] = section(t('reg.renewals'), { id: 'renewals' });
  const review = (institution, decision) =>
    actionButton(t(`reg.renewal.${decision}`), {
      title: `${t(`reg.renewal.${decision}`)}: ${institution.name}`,
      text: t(`reg.renewal.${decision}.explain`, { date: date(institution.licenceValidUntil), n: institution.renewalValidYears ?? 3 }),
      kind: decision === 'approve' ? '' : 'danger',
      errors,
      call: (reason) => post(`/api/v1/institutions/${institution.id}/renewals/current/review`, { decision, reason }),
      done: refresh,
    });
  add(
    body,
    h('p', { class: 'muted' }, t('reg.renewals.note')),
    errors,
    pending.length
      ? table(
          [t('common.name'), t('inst.licenceNumber'), t('reg.renewal.validUntil'), t('reg.renewal.appliedAt'), t('reg.renewal.years'), t('common.actions')],
          pending.map((institution) =>
            h('tr', { 'data-institution-id': institution.id }, [
              h('td', {}, h('a', { href: `/register/${institution.id}` }, institution.name)),
              h('td', {}, institution.licenceNumber ?? '—'),
              h('td', {}, date(institution.licenceValidUntil)),
              h('td', {}, dateTime(institution.renewalAppliedAt)),
              h('td', {}, t('reg.renewal.yearsValue', { n: institution.renewalValidYears ?? 3 })),
              h('td', {}, h('span', { class: 'buttons' }, review(institution, 'approve'), review(institution, 'reject'))),
            ]),
          ),
        )
      : h('p', { class: 'muted' }, t('reg.renewals.none')),
  );
  return element;
}

function reportsSection(filed, overdue, refresh) {
  const errors = alertBox();
  const [element, body] = section(t('reg.lateReports'), { id: 'reports' });
  const review = (report, decision) =>
    actionButton(t(`reg.report.${decision}`), {
      askLabel: t('common.note'),
      errors,
      kind: decision === 'accept' ? '' : 'secondary',
      call: (note) => post(`/api/v1/reports/${report.id}/review`, { decision, note }),
      done: refresh,
    });
  const differences = (report) =>
    (report.discrepancies ?? []).map((d) =>
      h(
        'div',
        { class: 'muted' },
        `⚠ ${t(`report.${d.field}`)}: ${d.field.endsWith('Fen') ? money(d.filed) : d.filed} ≠ ${d.field.endsWith('Fen') ? money(d.computed) : d.computed}`,
      ),
    );
  add(
    body,
    errors,
    h('h3', {}, t('reg.reports.filed')),
    filed.length
      ? table(
          [t('common.name'), t('report.month'), t('report.students'), t('report.prepaidCollectedFen'), t('report.discrepancies'), t('common.actions')],
          filed.map((report) => [
            [report.institutionName, report.late ? h('span', { class: 'badge risk-red' }, t('report.late')) : null],
            report.month,
            String(report.students ?? '—'),
            money(report.prepaidCollectedFen),
            differences(report),
            h('span', { class: 'buttons' }, review(report, 'accept'), review(report, 'return')),
          ]),
        )
      : h('p', { class: 'muted' }, t('reg.report.none')),
    overdue.length
      ? [
          h('h3', {}, t('reg.reports.overdue')),
          table(
            [t('common.name'), t('report.month'), t('common.district')],
            overdue.map((report) => [report.institutionName, report.month, report.districtCode]),
          ),
        ]
      : null,
  );
  return element;
}

/** Institutions at medium or high risk, worst first, with the rules that flag them. */
function riskSection(risk) {
  const [element, body] = section(t('reg.risk'), { id: 'risk' });
  const items = risk.items.filter((item) => item.level !== 'green');
  const counts = Object.fromEntries(Object.keys(RISK_ORDER).map((level) => [level, risk.items.filter((item) => item.level === level).length]));
  add(
    body,
    h(
      'p',
      { class: 'buttons' },
      Object.entries(counts).map(([level, n]) => h('span', { 'data-risk-count': level }, riskBadge(level), ` ${n}`)),
    ),
    items.length
      ? table(
          [t('common.name'), t('inst.risk'), t('reg.risk.flags')],
          items.map((item) => [
            h('a', { href: `/register/${item.id}` }, item.name),
            riskBadge(item.level),
            item.flags.map((flag) => h('div', {}, riskBadge(flag.severity), ` ${flag.ruleCode} `, h('small', { class: 'muted' }, evidenceText(flag.evidence)))),
          ]),
        )
      : h('p', { class: 'muted' }, t('reg.risk.none')),
  );
  return element;
}

// ── Institutions and licence actions ────────────────────────────────────────────────────────────
function institutionsSection() {
  const errors = alertBox();
  const [element, body] = section(t('reg.institutions'), { id: 'institutions' });
  const list = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'form-grid', role: 'search' },
    field({
      name: 'status',
      label: t('reg.filter.status'),
      options: [
        ['', t('reg.filter.all')],
        ...['submitted', 'licensed', 'enrolment_stopped', 'suspended', 'revoked', 'expired', 'returned', 'rejected', 'draft', 'closed'].map((status) => [
          status,
          t(`status.${status}`),
        ]),
      ],
    }),
    field({ name: 'q', label: t('reg.filter.q'), type: 'search', maxlength: 100 }),
  );
  // The licence actions each state allows (docs/domain.md "Licences"); each asks for the reason the API records.
  const actionsFor = (institution, reload) => {
    const act = (action) =>
      actionButton(t(`reg.action.${action}`), {
        title: `${t(`reg.action.${action}`)}: ${institution.name}`,
        text: has(`reg.action.${action}.explain`) ? t(`reg.action.${action}.explain`) : null,
        kind: ['revoke', 'freeze', 'stop-enrolment'].includes(action) ? 'danger' : 'secondary',
        errors,
        call: (reason) => post(`/api/v1/institutions/${institution.id}/${action}`, { reason }),
        done: reload,
      });
    const actions = [];
    if (institution.status === 'licensed') actions.push('suspend', 'stop-enrolment');
    if (institution.status === 'suspended') actions.push('reinstate', 'revoke');
    if (institution.status === 'enrolment_stopped') actions.push('resume-enrolment', 'revoke');
    if (['licensed', 'suspended', 'enrolment_stopped'].includes(institution.status)) actions.push(institution.frozen ? 'unfreeze' : 'freeze');
    return h('span', { class: 'buttons' }, actions.map(act));
  };
  const load = async () => {
    try {
      const values = formValues(form);
      const answer = await get('/api/v1/institutions', { ...values, pageSize: 100 });
      const items = [...answer.items].sort((a, b) => RISK_ORDER[a.riskLevel] - RISK_ORDER[b.riskLevel] || a.name.localeCompare(b.name, 'zh'));
      fill(
        list,
        h('p', { class: 'muted' }, `${t('reg.institutions')}: ${answer.total}`),
        table(
          [t('common.name'), t('common.district'), t('common.status'), t('inst.risk'), t('inst.validity'), t('common.actions')],
          items.map((institution) =>
            h('tr', { 'data-institution-id': institution.id }, [
              h(
                'td',
                {},
                ['licensed', 'suspended', 'enrolment_stopped', 'revoked', 'expired', 'closed'].includes(institution.status)
                  ? h('a', { href: `/register/${institution.id}` }, institution.name)
                  : institution.name,
                institution.frozen ? h('span', { class: 'badge risk-red' }, t('reg.frozen')) : null,
                institution.renewalAppliedAt ? h('span', { class: 'badge' }, t('org.renewal.pending')) : null,
              ),
              h('td', {}, institution.districtCode),
              h('td', {}, statusBadge('status', institution.status)),
              h('td', {}, riskBadge(institution.riskLevel)),
              h('td', {}, date(institution.licenceValidUntil)),
              h('td', {}, actionsFor(institution, load)),
            ]),
          ),
        ),
      );
    } catch (error) {
      showProblem(errors, error);
    }
  };
  form.addEventListener('change', load);
  form.addEventListener('submit', (event) => (event.preventDefault(), load()));
  add(body, form, errors, list);
  load();
  return element;
}

// ── Escrow, the money chart, settlements ─────────────────────────────────────────────────────────
function drawMoneyChart(canvas, daily) {
  if (!window.Chart) return;
  const yuan = (fen) => fen / 100;
  new window.Chart(canvas, {
    data: {
      labels: daily.map((day) => day.date),
      datasets: [
        {
          type: 'line',
          label: t('reg.chart.held'),
          data: daily.map((day) => yuan(day.heldFen)),
          borderColor: '#b3261e',
          backgroundColor: '#b3261e',
          yAxisID: 'y',
          tension: 0.2,
        },
        { type: 'bar', label: t('reg.chart.in'), data: daily.map((day) => yuan(day.inFen)), backgroundColor: '#1565c0', yAxisID: 'y' },
        { type: 'bar', label: t('reg.chart.released'), data: daily.map((day) => yuan(day.releasedFen)), backgroundColor: '#2e7d32', yAxisID: 'y' },
        { type: 'bar', label: t('reg.chart.refunded'), data: daily.map((day) => yuan(day.refundedFen)), backgroundColor: '#f9a825', yAxisID: 'y' },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: { y: { beginAtZero: true, ticks: { callback: (value) => `¥${Number(value).toLocaleString('en-US')}` } } },
      plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${money(Math.round(item.raw * 100))}` } } },
    },
  });
}

async function escrowSection(profile, names) {
  const errors = alertBox();
  const [element, body] = section(t('reg.escrow'), { id: 'escrow' });
  const [summary, settlements, held] = await Promise.all([
    get('/api/v1/escrow/summary'),
    get('/api/v1/settlements'),
    get('/api/v1/payout-instructions', { status: 'held' }),
  ]);
  const canvas = h('canvas', { id: 'money-chart', role: 'img', 'aria-label': t('reg.chart.title') });
  const districtCode = profile.scope?.districtCode;
  // The district to settle, picked by name among those of the regulator's scope.
  const districts = (await optional('/api/v1/districts')) ?? [];
  const runForm = h(
    'form',
    { class: 'inline-form', novalidate: true },
    districtField({
      name: 'districtCode',
      label: t('common.district'),
      districts,
      within: districtCode ?? undefined,
      value: districtCode && !profile.scope?.cityWide ? districtCode : '',
    }),
    h('button', { type: 'submit' }, t('reg.settlement.run')),
  );
  runForm.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(
      runForm.querySelector('button'),
      async () => {
        const result = await post('/api/v1/settlements/run', formValues(runForm));
        const settled = result.settlements.filter((outcome) => outcome.settled).length;
        // The totals, held payouts and settlement list are drawn again, so the sentence and the table agree.
        afterMount = [];
        const fresh = await escrowSection(profile, names);
        window.Chart?.getChart(canvas)?.destroy();
        element.replaceWith(fresh);
        for (const draw of afterMount.splice(0)) draw();
        const box = fresh.querySelector('[role=alert]');
        showNotice(box, settled ? t('reg.settlement.ran', { n: settled }) : t('reg.settlement.nothing'));
      },
      (error) => showProblem(errors, error, runForm),
    );
  });
  add(
    body,
    h(
      'div',
      { class: 'figures', 'data-testid': 'escrow-totals' },
      figure(t('reg.escrow.held'), money(summary.heldFen), { 'data-field': 'heldFen' }),
      figure(t('reg.escrow.escrow'), money(summary.escrowFen), { 'data-field': 'escrowFen' }),
      figure(t('reg.escrow.lessonsPending'), money(summary.lessonsPendingFen), { 'data-field': 'lessonsPendingFen' }),
      figure(t('reg.escrow.payable'), money(summary.payableFen), { 'data-field': 'payableFen' }),
      figure(t('reg.escrow.reserve'), money(summary.reserveFen), { 'data-field': 'reserveFen' }),
      figure(t('reg.escrow.refunds'), money(summary.refundsOwedFen), { 'data-field': 'refundsOwedFen' }),
    ),
    h('h3', {}, t('reg.chart.title')),
    summary.daily.length ? h('div', { class: 'chart-box' }, canvas) : h('p', { class: 'muted' }, t('reg.chart.empty')),
    h('h3', {}, t('reg.payouts.held')),
    held.items.length
      ? table(
          [t('common.date'), t('common.name'), t('payout.kindLabel'), t('payout.amount')],
          held.items.map((row) => [
            shanghaiDate(row.createdAt),
            names.get(row.institutionId) ?? row.institutionId.slice(0, 8),
            t(`payout.kind.${row.kind}`),
            money(row.amountFen),
          ]),
        )
      : h('p', { class: 'muted', 'data-testid': 'no-held-payouts' }, t('reg.payouts.noneHeld')),
    h('h3', {}, t('reg.settlements')),
    runForm,
    errors,
    settlements.items.length
      ? table(
          [
            t('common.date'),
            t('common.name'),
            t('reg.settlement.period'),
            t('reg.settlement.payable'),
            t('reg.settlement.payout'),
            t('reg.settlement.retained'),
            t('reg.settlement.released'),
          ],
          settlements.items.map((row) => [
            row.businessDate,
            names.get(row.institutionId) ?? row.institutionId.slice(0, 8),
            row.period,
            money(row.payableFen),
            money(row.payoutFen),
            money(row.retainedFen),
            money(row.releasedFen),
          ]),
        )
      : h('p', { class: 'muted' }, t('org.settlements.none')),
  );
  if (summary.daily.length) afterMount.push(() => drawMoneyChart(canvas, summary.daily));
  return element;
}

async function ledgerSection() {
  const [element, body] = section(t('reg.ledger'), { id: 'ledger' });
  const check = await get('/api/v1/ledger/check');
  add(
    body,
    h('p', { class: check.ok ? 'ledger-ok' : 'ledger-bad', 'data-testid': 'ledger-ok' }, check.ok ? `✓ ${t('reg.ledger.ok')}` : `✗ ${t('reg.ledger.bad')}`),
    h(
      'ul',
      {},
      check.invariants.map((invariant) =>
        h(
          'li',
          { title: invariant.invariant },
          invariant.ok ? '✓ ' : '✗ ',
          has(`ledger.${invariant.invariant}`) ? t(`ledger.${invariant.invariant}`) : invariant.invariant,
        ),
      ),
    ),
    h('p', { class: 'muted' }, dateTime(check.checkedAt)),
  );
  return element;
}

/** The reduction series: subject institutions and pupils per day against the baseline, and the change. */
function reductionSection(reduction) {
  const [element, body] = section(`${t('reg.reduction')} · ${areaName(reduction)}`, { id: 'reduction' });
  const snapshots = reduction.snapshots ?? [];
  const canvas = h('canvas', { id: 'reduction-chart', role: 'img', 'aria-label': t('reg.reduction') });
  add(body, reductionTable(reduction), snapshots.length ? h('div', { class: 'chart-box' }, canvas) : null);
  if (snapshots.length && window.Chart) {
    const line = (label, key, colour, axis) => ({
      type: 'line',
      label,
      data: snapshots.map((row) => row[key]),
      borderColor: colour,
      backgroundColor: colour,
      yAxisID: axis,
      tension: 0.2,
      pointRadius: snapshots.length > 30 ? 0 : 3,
    });
    afterMount.push(
      () =>
        new window.Chart(canvas, {
          data: {
            labels: snapshots.map((row) => row.date),
            datasets: [
              line(t('reduction.subjectInstitutions'), 'subjectInstitutions', '#b3261e', 'institutions'),
              line(t('reduction.students'), 'students', '#1565c0', 'students'),
            ],
          },
          options: {
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            interaction: { mode: 'index', intersect: false },
            scales: {
              institutions: { position: 'left', beginAtZero: true, title: { display: true, text: t('reduction.subjectInstitutions') } },
              students: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: t('reduction.students') } },
            },
          },
        }),
    );
  }
  return element;
}

async function start() {
  if (!me) return;
  try {
    afterMount = [];
    const [profile, everyone] = await Promise.all([get('/api/v1/me'), get('/api/v1/institutions', { pageSize: 100 })]);
    const names = new Map(everyone.items.map((institution) => [institution.id, institution.name]));
    const scopeCode = profile.scope?.districtCode;
    const [submitted, pendingRenewals, disputed, alerts, openComplaints, takenComplaints, verifiedComplaints, filed, overdue, risk, reduction] =
      await Promise.all([
        get('/api/v1/institutions', { status: 'submitted', pageSize: 100 }),
        everyPage('/api/v1/institutions', { renewalPending: true }),
        optional('/api/v1/consumptions', { status: 'disputed', pageSize: 100 }), // not the admin's to read
        optional('/api/v1/risk/alerts', { status: 'open', pageSize: 100 }),
        optional('/api/v1/complaints', { status: 'open', pageSize: 100 }),
        optional('/api/v1/complaints', { status: 'in_progress', pageSize: 100 }),
        optional('/api/v1/complaints', { status: 'verified', pageSize: 100 }),
        optional('/api/v1/reports', { status: 'filed', pageSize: 100 }),
        optional('/api/v1/reports', { status: 'overdue', pageSize: 100 }),
        optional('/api/v1/risk/institutions', { pageSize: 100 }),
        scopeCode ? optional('/api/v1/reduction', { districtCode: scopeCode }) : Promise.resolve(null),
      ]);
    const complaints =
      openComplaints && takenComplaints && verifiedComplaints ? [...openComplaints.items, ...takenComplaints.items, ...verifiedComplaints.items] : null;
    // Renewals awaiting a decision (docs/domain.md "Licences"), oldest application first.
    const renewals = pendingRenewals.sort((a, b) => String(a.renewalAppliedAt).localeCompare(String(b.renewalAppliedAt)));
    const reports = filed && overdue ? { filed: filed.items, overdue: overdue.items } : null;
    const refresh = () => start();
    const sections = [
      h('h1', {}, t('reg.title'), h('small', { class: 'muted' }, ` · ${profile.name ?? profile.username ?? ''} ${scopeCode ?? ''}`)),
      notices,
      workCards({
        toReview: submitted.total,
        renewals: renewals.length,
        disputed: disputed?.total ?? null,
        alerts: alerts?.total ?? null,
        // Awaiting a decision: verified complaints are listed too, but wait on nobody's first look.
        complaints: complaints ? complaints.filter((complaint) => complaint.status !== 'verified').length : null,
        reports: reports ? filed.total + overdue.total : null,
      }),
      h('div', { class: 'two-columns' }, applicationsSection(submitted, refresh), disputed ? disputedSection(disputed, refresh) : null),
      renewalsSection(renewals, refresh),
      alerts ? alertsSection(alerts, refresh) : null,
      complaints ? complaintsSection(complaints, refresh) : null,
      reports ? reportsSection(reports.filed, reports.overdue, refresh) : null,
      risk ? riskSection(risk) : null,
      institutionsSection(),
      await escrowSection(profile, names),
      reduction ? reductionSection(reduction) : null,
      await ledgerSection(),
    ];
    main.replaceChildren(...sections.filter(Boolean));
    for (const draw of afterMount.splice(0)) draw();
  } catch (error) {
    showProblem(notices, error);
    if (!notices.isConnected) main.replaceChildren(notices);
  }
}

start();
