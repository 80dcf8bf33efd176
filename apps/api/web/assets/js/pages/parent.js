// A parent's page: contracts with their money, lessons to confirm or dispute, refunds, buying a course, complaints.
import { get, newKey, optional, post, requireRole, showNotice, showProblem } from '../api.js';
import { addDays, dateTime, money, shanghaiDate, t } from '../i18n.js';
import {
  add,
  alertBox,
  ask,
  busy,
  confirmStep,
  districtField,
  dueCell,
  notificationsSection,
  field,
  figure,
  formValues,
  h,
  mountPage,
  noPurchaseNotice,
  purchasable,
  section,
  statusBadge,
  table,
} from '../ui.js';

const me = requireRole('parent');
mountPage('parent');
const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const notices = alertBox();
const contractsBody = h('div', { id: 'contracts', 'aria-live': 'polite' });
const institutions = new Map(); // institution id → its public page (name, courses), fetched once

function institution(id) {
  if (!institutions.has(id))
    institutions.set(
      id,
      get(`/api/v1/public/institutions/${id}`).catch(() => null),
    );
  return institutions.get(id);
}

// ── Payment orders: the parent pays the bank with the order's reference; escrow holds the money once the bank says so ──
const WAIT_FOR_BANK_MS = 1500;

/** How a payment order reads: its reference, amount, and what the bank has said of it. */
function orderLine(order) {
  return h(
    'li',
    { class: 'payment', 'data-payment-id': order.id, 'data-reference': order.reference },
    h('strong', {}, order.reference),
    ` · ${money(order.amountFen)} `,
    statusBadge('payment', order.status),
    order.status === 'pending' ? h('small', { class: 'muted' }, ' ', t('parent.order.waiting', { date: dateTime(order.expiresAt) })) : null,
  );
}

/** Polls the contract until the order is no longer pending (the bank confirmed, or it expired); answers its last state. */
async function waitForBank(contractId, orderId, onWait) {
  for (;;) {
    const contract = await get(`/api/v1/contracts/${contractId}`);
    const order = contract.payments.find((payment) => payment.id === orderId);
    if (order.status !== 'pending') return order;
    onWait(order);
    await new Promise((resolve) => setTimeout(resolve, WAIT_FOR_BANK_MS));
  }
}

// ── Buying a course: a contract, then its payment order ───────────────────────────────────────────

/**
 * The contract's terms, under the headings of the national model contract for off-campus training,
 * shown before the parent pays: who signs, what is bought, and where the money goes.
 */
function contractTerms(place, course) {
  const terms = [
    ['parties', { name: place.name, licence: place.licence?.number ?? '—' }],
    ['course', { course: course.name, subject: course.subject ?? '—' }],
    ['lessons', { minutes: course.lessonMinutes }],
    ['price', { price: money(course.lessonPriceFen) }],
    ['escrow', {}],
    ['refunds', {}],
    ['disputes', {}],
  ];
  return h(
    'details',
    { class: 'contract-terms', open: true },
    h('summary', {}, t('parent.terms.title')),
    h(
      'dl',
      {},
      terms.map(([key, vars]) => [h('dt', {}, t(`parent.terms.${key}`)), h('dd', {}, t(`parent.terms.${key}.text`, vars))]),
    ),
  );
}
async function buySection(courseId, institutionId) {
  const errors = alertBox();
  const place = await institution(institutionId);
  const course = place?.courses.find((candidate) => candidate.id === courseId);
  const [element, body] = section(t('parent.buy.title'), { id: 'buy' });
  if (!course) {
    showProblem(errors, new Error(t('inst.notFound')));
    add(body, errors);
    return element;
  }
  // Buying is offered only from a white-listed institution; otherwise the page says why not
  // (enrolment stopped, suspended, closed, or the list it is on).
  if (!purchasable(place)) {
    add(body, noPurchaseNotice(place));
    return element;
  }
  const today = shanghaiDate();
  const waiting = h('div', { id: 'buy-order', 'aria-live': 'polite' });
  const total = h('strong', { id: 'buy-total', 'aria-live': 'polite' }, money(course.lessonPriceFen * 10));
  const form = h(
    'form',
    { novalidate: true },
    h(
      'p',
      {},
      h('strong', {}, place.name),
      ' · ',
      course.name,
      ' · ',
      money(course.lessonPriceFen),
      ' / ',
      t('inst.minutesValue', { n: course.lessonMinutes }),
    ),
    h('p', { class: 'muted' }, t('parent.buy.hint')),
    contractTerms(place, course),
    h(
      'div',
      { class: 'form-grid' },
      field({ name: 'studentName', label: t('parent.buy.studentName'), required: true, maxlength: 50, autocomplete: 'off' }),
      field({ name: 'lessons', label: t('parent.buy.lessons'), type: 'number', required: true, min: 1, max: 1000, value: 10, inputmode: 'numeric' }),
      field({ name: 'startDate', label: t('parent.buy.startDate'), type: 'date', required: true, value: today }),
      field({ name: 'endDate', label: t('parent.buy.endDate'), type: 'date', required: true, value: addDays(today, 60), after: 'startDate' }),
      field({
        name: 'channel',
        label: t('parent.buy.channel'),
        options: ['wechat_pay', 'alipay', 'union_pay', 'bank_transfer'].map((channel) => [channel, t(`channel.${channel}`)]),
      }),
    ),
    h('p', {}, t('parent.buy.total'), ': ', total),
    errors,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('parent.buy.button'))),
    waiting,
  );
  form.elements
    .namedItem('lessons')
    .addEventListener('input', (event) => (total.textContent = money(course.lessonPriceFen * (Number(event.target.value) || 0))));
  // Kept across retries: a second click after a failed order orders for the same contract with the same key.
  let pending = null;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(
      form.querySelector('button[type=submit]'),
      async () => {
        const values = formValues(form);
        if (!pending) {
          const contract = await post('/api/v1/contracts', {
            courseId,
            studentName: values.studentName ?? '',
            lessons: values.lessons ?? 0,
            startDate: values.startDate ?? '',
            endDate: values.endDate ?? '',
          });
          pending = { contract, key: newKey() };
        }
        const order = await post(
          `/api/v1/contracts/${pending.contract.id}/payments`,
          { amountFen: pending.contract.totalFen, channel: values.channel },
          { idempotencyKey: pending.key },
        );
        const contractId = pending.contract.id;
        pending = null;
        const settled = await waitForBank(contractId, order.id, (waitingOrder) =>
          waiting.replaceChildren(
            h('p', {}, t('parent.order.pay', { reference: waitingOrder.reference, amount: money(waitingOrder.amountFen) })),
            h('ul', { class: 'payments' }, orderLine(waitingOrder)),
          ),
        );
        history.replaceState(null, '', '/parent');
        element.remove();
        showNotice(notices, settled.status === 'confirmed' ? t('parent.buy.done') : t(`parent.order.${settled.status}`));
        await loadContracts();
      },
      (error) => showProblem(errors, error, form),
    );
  });
  add(body, form);
  return element;
}

// ── Contracts ──────────────────────────────────────────────────────────────────────────────────────
async function loadContracts() {
  try {
    const answer = await get('/api/v1/contracts', { pageSize: 100 });
    if (!answer.items.length) {
      contractsBody.replaceChildren(h('p', { class: 'muted' }, t('parent.noContracts'), ' ', h('a', { href: '/' }, t('nav.search'))));
      return;
    }
    contractsBody.replaceChildren(...(await Promise.all(answer.items.map(contractCard))));
  } catch (error) {
    showProblem(notices, error);
  }
}

async function contractCard(contract) {
  const [place, lessons] = await Promise.all([institution(contract.institutionId), get(`/api/v1/contracts/${contract.id}/lessons`)]);
  const course = place?.courses.find((candidate) => candidate.id === contract.courseId);
  const card = h('article', { class: 'contract', 'data-contract-id': contract.id, 'aria-label': `${contract.studentName} ${course?.name ?? ''}` });
  const errors = alertBox();
  const refresh = async () => card.replaceWith(await contractCard(await get(`/api/v1/contracts/${contract.id}`)));
  const run = (button, action) =>
    busy(
      button,
      async () => (await action(), await refresh()),
      (error) => showProblem(errors, error),
    );
  const open = contract.payments.filter((payment) => payment.status === 'pending');
  const unpaid = contract.totalFen - contract.paidFen - open.reduce((sum, payment) => sum + payment.amountFen, 0);
  const payKey = newKey();
  // The latest request says where the refund stands; while one waits for the institution, no second request.
  const latestRefund = contract.refundRequests?.[0] ?? null;
  const refundOpen = latestRefund?.status === 'requested';
  if (open.length) watchBank(card, contract);

  add(
    card,
    h(
      'div',
      { class: 'contract-head' },
      h('h3', {}, place?.name ?? contract.institutionId, ' · ', course?.name ?? ''),
      statusBadge('contract', contract.status),
    ),
    h(
      'p',
      { class: 'muted' },
      `${t('parent.student')}: ${contract.studentName} · ${t('parent.lessonsLeft', { n: contract.lessonsRemaining, total: contract.lessons })} · ${contract.startDate} ~ ${contract.endDate}`,
    ),
    h(
      'div',
      { class: 'figures' },
      figure(t('parent.total'), money(contract.totalFen), { 'data-field': 'totalFen' }),
      figure(t('parent.paid'), money(contract.paidFen), { 'data-field': 'paidFen' }),
      figure(t('parent.consumed'), money(contract.consumedFen), { 'data-field': 'consumedFen' }),
      figure(t('parent.pending'), money(contract.pendingFen), { 'data-field': 'pendingFen' }),
      figure(t('parent.refunded'), money(contract.refundedFen), { 'data-field': 'refundedFen' }),
      figure(t('parent.escrow'), money(contract.escrowFen), { 'data-field': 'escrowFen' }),
    ),
    open.map((order) =>
      h(
        'div',
        { class: 'notice notice-warn', 'data-testid': 'order-waiting', 'data-reference': order.reference },
        h('strong', {}, t('order.waitingTitle')),
        ' ',
        t('order.waitingText', { reference: order.reference, amount: money(order.amountFen), date: dateTime(order.expiresAt) }),
      ),
    ),
    latestRefund ? refundState(latestRefund, contract) : null,
    errors,
    h(
      'div',
      { class: 'buttons' },
      unpaid > 0 && ['awaiting_payment', 'active'].includes(contract.status)
        ? h(
            'button',
            {
              type: 'button',
              onclick: (event) =>
                run(event.currentTarget, () =>
                  post(`/api/v1/contracts/${contract.id}/payments`, { amountFen: unpaid, channel: 'bank_transfer' }, { idempotencyKey: payKey }),
                ),
            },
            t('parent.pay', { amount: money(unpaid) }),
          )
        : null,
      contract.status === 'active'
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              // The request waiting for an answer is shown above (refundState): no second one.
              disabled: refundOpen,
              'aria-describedby': refundOpen ? `refund-state-${contract.id}` : null,
              onclick: async (event) => {
                const button = event.currentTarget;
                const reason = await ask({ title: t('parent.refund'), label: t('parent.refundReason') });
                if (reason === null) return;
                const key = newKey();
                await busy(
                  button,
                  async () => {
                    const request = await post(`/api/v1/contracts/${contract.id}/refund-requests`, { reason }, { idempotencyKey: key });
                    await refresh();
                    showNotice(notices, t('parent.refundDone', { date: dateTime(request.deemedAcceptedAt) }));
                  },
                  (error) => showProblem(errors, error),
                );
              },
            },
            t('parent.refund'),
          )
        : null,
    ),
    contract.payments.length ? h('h4', {}, t('parent.payments')) : null,
    contract.payments.length ? h('ul', { class: 'payments' }, contract.payments.map(orderLine)) : null,
    h('h4', {}, t('parent.lessonList')),
    lessons.items.length
      ? h(
          'ul',
          { class: 'lessons' },
          lessons.items.map((lesson) => lessonRow(lesson, run)),
        )
      : h('p', { class: 'muted' }, t('parent.noLessons')),
  );
  return card;
}

/**
 * Where the contract's latest refund stands: waiting (what it would return now — escrow less the lessons
 * still waiting for confirmation — and the day it is deemed accepted), refunded, or rejected.
 */
function refundState(request, contract) {
  const [kind, text] =
    request.status === 'requested'
      ? ['warn', t('refund.state.open', { amount: money(contract.availableFen), date: dateTime(request.deemedAcceptedAt) })]
      : request.status === 'accepted'
        ? ['ok', t('refund.state.accepted', { amount: money(request.amountFen ?? 0), date: dateTime(request.answeredAt) })]
        : ['warn', t('refund.state.rejected', { reason: request.answerReason ?? '—' })];
  return h('p', { id: `refund-state-${contract.id}`, class: `notice notice-${kind}`, 'data-testid': 'refund-state', 'data-status': request.status }, text);
}

/** While an order waits for the bank, the card asks again now and then and redraws itself once the bank has answered. */
function watchBank(card, contract) {
  const pending = JSON.stringify(contract.payments.map((payment) => payment.status));
  const look = async () => {
    if (!card.isConnected) return;
    const now = await get(`/api/v1/contracts/${contract.id}`).catch(() => null);
    if (now && JSON.stringify(now.payments.map((payment) => payment.status)) !== pending) {
      if (card.isConnected) card.replaceWith(await contractCard(now));
    } else setTimeout(look, WAIT_FOR_BANK_MS * 2);
  };
  setTimeout(look, WAIT_FOR_BANK_MS * 2);
}

function lessonRow(lesson, run) {
  const confirmKey = newKey();
  return h(
    'li',
    { class: 'lesson', 'data-lesson-id': lesson.id },
    h(
      'span',
      {},
      h('strong', {}, dateTime(lesson.startsAt)),
      ` · ${t('inst.minutesValue', { n: lesson.minutes })} · ${money(lesson.amountFen)} `,
      statusBadge('lesson', lesson.status),
      lesson.status === 'pending' ? h('small', { class: 'muted' }, ' ', t('parent.autoConfirm', { date: dateTime(lesson.autoConfirmAt) })) : null,
      lesson.disputeReason ? h('small', { class: 'muted' }, ` — ${lesson.disputeReason}`) : null,
    ),
    lesson.status === 'pending'
      ? h(
          'span',
          { class: 'buttons' },
          h(
            'button',
            {
              type: 'button',
              class: 'small',
              // Confirming pays the lesson's price out of escrow to the institution: say so first.
              onclick: async (event) => {
                const button = event.currentTarget;
                const sure = await confirmStep({
                  title: t('parent.confirm'),
                  text: t('parent.confirm.ask', { date: dateTime(lesson.startsAt), amount: money(lesson.amountFen) }),
                  confirm: t('parent.confirm'),
                });
                if (sure) await run(button, () => post(`/api/v1/consumptions/${lesson.id}/confirm`, {}, { idempotencyKey: confirmKey }));
              },
            },
            t('parent.confirm'),
          ),
          h(
            'button',
            {
              type: 'button',
              class: 'small secondary',
              onclick: async (event) => {
                const button = event.currentTarget;
                const reason = await ask({ title: t('parent.dispute'), label: t('parent.disputeReason') });
                if (reason !== null) await run(button, () => post(`/api/v1/consumptions/${lesson.id}/dispute`, { reason }));
              },
            },
            t('parent.dispute'),
          ),
        )
      : null,
  );
}

// ── Complaints: shown only when the oversight API answers ───────────────────────────────────────
async function complaintSection() {
  const mine = await optional('/api/v1/complaints', { pageSize: 100 });
  if (!mine) return null;
  const errors = alertBox();
  const contracts = (await get('/api/v1/contracts', { pageSize: 100 })).items;
  const places = (await Promise.all([...new Set(contracts.map((contract) => contract.institutionId))].map(institution))).filter(Boolean);
  const placeName = (id) => places.find((place) => place.id === id)?.name ?? '';
  // The districts the platform serves, picked by name (ui.js districtField).
  const districts = (await optional('/api/v1/districts')) ?? [];
  // From the public lookup's not-found card: /parent?report=<name> reports that name as unlicensed.
  const reported = params.get('report');
  const [element, body] = section(t('parent.complaint.title'), { id: 'complaint' });
  const form = h(
    'form',
    { novalidate: true },
    h(
      'div',
      { class: 'form-grid' },
      // A complaint on the parent's own contract counts in the risk rules (docs/domain.md "Complaints").
      field({
        name: 'contractId',
        label: t('parent.complaint.contract'),
        options: [['', '—'], ...contracts.map((contract) => [contract.id, `${placeName(contract.institutionId)} · ${contract.studentName}`])],
      }),
      field({ name: 'institutionId', label: t('parent.complaint.institution'), options: [['', '—'], ...places.map((place) => [place.id, place.name])] }),
      field({
        name: 'category',
        label: t('parent.complaint.category'),
        value: reported ? 'unlicensed' : undefined,
        options: ['lessons_not_delivered', 'refund_refused', 'safety', 'unlicensed', 'other'].map((category) => [category, t(`complaint.${category}`)]),
      }),
      field({ name: 'institutionName', label: `${t('parent.complaint.institution')} (${t('common.name')})`, maxlength: 100, value: reported ?? undefined }),
      districtField({ name: 'districtCode', label: t('parent.complaint.district'), districts }),
    ),
    field({ name: 'description', label: t('parent.complaint.description'), type: 'textarea', required: true, maxlength: 4000 }),
    errors,
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, t('parent.complaint.button'))),
  );
  // A name and district are needed only for an institution that is neither picked from the register nor named by a contract.
  const picked = ['institutionId', 'contractId'].map((name) => form.elements.namedItem(name));
  const needName = () => {
    for (const name of ['institutionName', 'districtCode']) form.elements.namedItem(name).required = !picked.some((select) => select.value);
  };
  for (const select of picked) select.addEventListener('change', needName);
  needName();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type=submit]');
    // Filing is seen by the institution and the regulator, and counts against the daily five: ask first.
    const sure = await confirmStep({ title: t('parent.complaint.button'), text: t('parent.complaint.confirm'), confirm: t('parent.complaint.button') });
    if (!sure) return;
    await busy(
      button,
      async () => {
        const values = formValues(form);
        // A contract names its institution.
        if (values.contractId) values.institutionId = contracts.find((contract) => contract.id === values.contractId)?.institutionId;
        // A registered institution is named by its id; a name and district only for one that is not in the register.
        if (values.institutionId) {
          delete values.institutionName;
          delete values.districtCode;
        }
        await post('/api/v1/complaints', values);
        element.replaceWith(await complaintSection());
        showNotice(notices, t('parent.complaint.done'));
      },
      (error) => showProblem(errors, error, form),
    );
  });
  add(
    body,
    form,
    mine.items.length
      ? [
          h('h3', {}, t('parent.complaint.mine')),
          table(
            [
              t('parent.complaint.institution'),
              t('parent.complaint.category'),
              t('common.status'),
              t('complaint.dueOn'),
              t('complaint.answer'),
              t('parent.complaint.regulatorReply'),
            ],
            mine.items.map((complaint) =>
              h('tr', { 'data-complaint-id': complaint.id }, [
                h('td', {}, complaint.institutionName),
                h('td', {}, t(`complaint.${complaint.category}`)),
                h('td', {}, statusBadge('complaintStatus', complaint.status)),
                h('td', {}, dueCell(complaint)),
                h('td', { class: 'complaint-answer' }, complaint.answer ?? h('span', { class: 'muted' }, t('complaint.noAnswer'))),
                h('td', {}, complaint.reply ?? '—'),
              ]),
            ),
          ),
        ]
      : null,
  );
  return element;
}

async function start() {
  if (!me) return;
  const [contracts, contractsSection] = section(t('parent.contracts'), { id: 'my-contracts' });
  contractsSection.append(contractsBody);
  main.replaceChildren(h('h1', {}, t('parent.title')), notices);
  if (params.get('buy') && params.get('institution')) main.append(await buySection(params.get('buy'), params.get('institution')));
  main.append(contracts);
  await loadContracts();
  const complaints = await complaintSection();
  if (complaints) main.append(complaints);
  if (complaints && params.get('report')) complaints.scrollIntoView();
  const notifications = await notificationsSection(() => optional('/api/v1/notifications', { pageSize: 10 }));
  if (notifications) main.append(notifications);
}

start();
