import { DataSource } from 'typeorm';
import { ReferenceDataService, addDays, shanghaiMidnight } from '@app/core';
import { LessonsService, PaymentOrdersService, RefundsService } from '@app/tuition';
import { contractWindow, daysBackTo, lessonAt, restWeekend, workingDay } from '../support/dates';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld, as, key } from '../support/tuition-world';

describe('escrow and rolling transfer (e2e)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let school: School;
  const http = () => platform.http();
  const contract = (token: string, id: string) =>
    http()
      .get(`/api/v1/contracts/${id}`)
      .set(as(token))
      .expect(200)
      .then((response) => response.body);
  const ledgerCheck = () =>
    http()
      .get('/api/v1/ledger/check')
      .set(as(world.regulator))
      .expect(200)
      .then((response) => response.body);
  const newContract = (parent: string, lessons: number, overrides: Record<string, unknown> = {}) =>
    http()
      .post('/api/v1/contracts')
      .set(as(parent))
      .send({ courseId: school.courseId, studentName: '王小明', lessons, ...contractWindow(platform.clock), ...overrides });

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
    school = await world.school(10_000);
  });
  afterAll(async () => {
    const check = await ledgerCheck();
    expect(check.invariants.filter((invariant: { ok: boolean }) => !invariant.ok)).toEqual([]);
    await platform?.close();
  });

  describe('contracts', () => {
    it('refuses a contract past the district’s prepaid limits, naming the limit', async () => {
      const parent = await world.parent();
      expect((await newContract(parent, 61).expect(422)).body).toMatchObject({ code: 'POLICY.PREPAID_LIMIT', limit: 'maxPrepaidLessons' });
      expect((await newContract(parent, 10, { endDate: platform.clock.daysFromToday(100) }).expect(422)).body).toMatchObject({
        code: 'POLICY.PREPAID_LIMIT',
        limit: 'maxPrepaidMonths',
      });
      expect((await newContract(parent, 51).expect(422)).body).toMatchObject({ code: 'POLICY.PREPAID_LIMIT', limit: 'maxPrepaidAmountFen' });
    });

    it('holds the limits per pupil over the open contracts at one institution, not per contract', async () => {
      const parent = await world.parent();
      await newContract(parent, 20).expect(201);
      await newContract(parent, 20).expect(201);
      // The district allows ¥5,000 per pupil: three contracts of ¥2,000 each for one pupil pass it.
      expect((await newContract(parent, 20).expect(422)).body).toMatchObject({
        code: 'POLICY.PREPAID_LIMIT',
        limit: 'maxPrepaidAmountFen',
        requested: 600_000,
      });
      await newContract(parent, 20, { studentName: '王小红' }).expect(201); // a sibling is a pupil of their own
    });

    it('stops counting a contract in the limits once every lesson of it is confirmed, so the pupil can sign the next term', async () => {
      const parent = await world.parent();
      const first = await world.paidContract(parent, school, 2);
      const nextTerm = { startDate: platform.clock.daysFromToday(32), endDate: platform.clock.daysFromToday(100) };
      // While lessons are prepaid, the two terms together span more than the district's three months.
      expect((await newContract(parent, 10, nextTerm).expect(422)).body).toMatchObject({ code: 'POLICY.PREPAID_LIMIT', limit: 'maxPrepaidMonths' });
      for (const daysAgo of [2, 1]) {
        const [consumption] = (await world.recordLesson(school, [first], lessonAt(platform.clock, daysAgo)).expect(201)).body.consumptions;
        await http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parent)).set(key()).send({}).expect(200);
      }
      await newContract(parent, 10, nextTerm).expect(201);
    });

    it('sells only for an institution on the white list', async () => {
      const parent = await world.parent();
      const frozen = await world.school(10_000);
      const pending = await http()
        .post('/api/v1/contracts')
        .set(as(parent))
        .send({ courseId: frozen.courseId, studentName: '李', lessons: 2, ...contractWindow(platform.clock) })
        .expect(201);
      await http().post(`/api/v1/institutions/${frozen.institutionId}/freeze`).set(as(world.regulator)).send({ reason: '核查' }).expect(200);
      const refused = await http()
        .post('/api/v1/contracts')
        .set(as(parent))
        .send({ courseId: frozen.courseId, studentName: '李', lessons: 2, ...contractWindow(platform.clock) })
        .expect(422);
      expect(refused.body).toMatchObject({ code: 'INSTITUTION.NOT_ENROLLING', list: 'grey', licenceStatus: 'licensed', frozen: true });
      const order = await http()
        .post(`/api/v1/contracts/${pending.body.id}/payments`)
        .set(as(parent))
        .set(key())
        .send({ amountFen: 20_000, channel: 'alipay' })
        .expect(422);
      expect(order.body.code).toBe('INSTITUTION.NOT_ENROLLING');
      await http().post(`/api/v1/institutions/${frozen.institutionId}/unfreeze`).set(as(world.regulator)).send({ reason: '核查无误' }).expect(200);
    });

    it('answers concurrent requests with one Idempotency-Key with one payment order: the others wait for the first', async () => {
      const parent = await world.parent();
      const created = await newContract(parent, 10, { studentName: '李小红' }).expect(201);
      const pay = () =>
        http()
          .post(`/api/v1/contracts/${created.body.id}/payments`)
          .set(as(parent))
          .set('Idempotency-Key', 'pay-together-0001')
          .send({ amountFen: 30_000, channel: 'alipay' });
      const answers = await Promise.all([pay(), pay(), pay()]);
      expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
      for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
      expect((await contract(parent, created.body.id)).payments).toEqual([
        expect.objectContaining({ id: answers[0].body.id, status: 'pending', amountFen: 30_000 }),
      ]);
    });

    it('hides a contract from other parents and other districts with 404', async () => {
      const parent = await world.parent();
      const id = await world.paidContract(parent, school);
      const stranger = await world.parent();
      await http().get(`/api/v1/contracts/${id}`).set(as(stranger)).expect(404);
      await http().post(`/api/v1/contracts/${id}/payments`).set(as(stranger)).set(key()).send({ amountFen: 1, channel: 'alipay' }).expect(404);
      await http().get(`/api/v1/contracts/${id}`).set(as(world.owner)).expect(200);
      await http().get(`/api/v1/contracts/${id}`).set(as(world.regulator)).expect(200);
    });
  });

  describe('payment orders and bank receipts', () => {
    it('credits nothing for an order; the bank’s receipt credits escrow once, however often it is retried', async () => {
      const parent = await world.parent();
      const created = await newContract(parent, 10).expect(201);
      expect(created.body).toMatchObject({ status: 'awaiting_payment', totalFen: 100_000 });
      const id = created.body.id;
      const order = { amountFen: 60_000, channel: 'alipay' };
      await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).send(order).expect(400);
      const first = await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set('Idempotency-Key', `pay-once-${id}`).send(order).expect(201);
      expect(first.body).toMatchObject({ status: 'pending', amountFen: 60_000, reference: expect.stringMatching(/^PO[2-9A-Z]{12}$/) });
      expect(Date.parse(first.body.expiresAt) - platform.clock.now().getTime()).toBeGreaterThan(23.9 * 3600_000);
      const retry = await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set('Idempotency-Key', `pay-once-${id}`).send(order).expect(201);
      expect(retry.body).toEqual(first.body);
      const reused = await http()
        .post(`/api/v1/contracts/${id}/payments`)
        .set(as(parent))
        .set('Idempotency-Key', `pay-once-${id}`)
        .send({ ...order, amountFen: 1 })
        .expect(409);
      expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
      expect(await contract(parent, id)).toMatchObject({
        status: 'awaiting_payment',
        paidFen: 0,
        escrowFen: 0,
        payments: [{ status: 'pending', reference: first.body.reference }],
      });

      // Open orders count against what is left to pay.
      const over = await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set(key()).send({ amountFen: 40_001, channel: 'alipay' }).expect(422);
      expect(over.body).toMatchObject({ code: 'CONTRACT.OVERPAYMENT', remainingFen: 40_000 });

      const receipt = await world.receipt(first.body.reference, 60_000, `BK-${id}`).expect(201);
      expect(receipt.body).toEqual({ paymentId: first.body.id, status: 'confirmed' });
      expect(await contract(parent, id)).toMatchObject({
        status: 'active',
        paidFen: 60_000,
        escrowFen: 60_000,
        payments: [{ status: 'confirmed', bankRef: `BK-${id}` }],
      });
      // The bank says it again (same bank reference, same body): the same answer, and nothing moves.
      const receivedAt = (await contract(parent, id)).payments[0].receivedAt;
      const again = await http()
        .post('/api/v1/bank/receipts')
        .set('X-Api-Key', world.bankKey)
        .set(key())
        .send({ reference: first.body.reference, amountFen: 60_000, bankRef: `BK-${id}`, receivedAt })
        .expect(201);
      expect(again.body).toEqual(receipt.body);
      const otherBody = await http()
        .post('/api/v1/bank/receipts')
        .set('X-Api-Key', world.bankKey)
        .set(key())
        .send({ reference: first.body.reference, amountFen: 60_000, bankRef: `BK-${id}`, receivedAt: platform.clock.daysFromToday(-3) })
        .expect(409);
      expect(otherBody.body.code).toBe('BANK.RECEIPT_CONFLICT');
      const secondMoney = await world.receipt(first.body.reference, 60_000, `BK-other-${id}`).expect(409);
      expect(secondMoney.body).toMatchObject({ code: 'BANK.ALREADY_RECEIVED', bankRef: `BK-${id}` });
      expect(await contract(parent, id)).toMatchObject({ paidFen: 60_000, escrowFen: 60_000 });
    });

    it('refuses an unknown reference and another amount with their codes, moving no money', async () => {
      const parent = await world.parent();
      const id = (await newContract(parent, 2).expect(201)).body.id;
      const order = (
        await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set(key()).send({ amountFen: 20_000, channel: 'wechat_pay' }).expect(201)
      ).body;
      expect((await world.receipt('PONOSUCHORDER2', 20_000).expect(422)).body).toMatchObject({ code: 'BANK.UNKNOWN_REFERENCE', reference: 'PONOSUCHORDER2' });
      expect((await world.receipt(order.reference, 19_999).expect(422)).body).toMatchObject({ code: 'BANK.AMOUNT_MISMATCH', expectedFen: 20_000 });
      expect(await contract(parent, id)).toMatchObject({ paidFen: 0, escrowFen: 0, payments: [{ status: 'pending' }] });
      // A bank of another district does not see the order at all.
      const furongBank = (await http().post('/api/v1/bank-clients').set(as(world.admin)).send({ name: '芙蓉银行', districtCode: '430102' }).expect(201)).body
        .apiKey;
      const elsewhere = await http()
        .post('/api/v1/bank/receipts')
        .set('X-Api-Key', furongBank)
        .set(key())
        .send({ reference: order.reference, amountFen: 20_000, bankRef: 'BK-FURONG', receivedAt: platform.clock.now().toISOString() })
        .expect(422);
      expect(elsewhere.body.code).toBe('BANK.UNKNOWN_REFERENCE');
      const outbox = await platform.api
        .get(DataSource)
        .query(`SELECT payload->>'code' AS code FROM outbox WHERE type = 'bank.receipt_refused' ORDER BY created_at`);
      expect(outbox.map((row: { code: string }) => row.code)).toEqual(['BANK.UNKNOWN_REFERENCE', 'BANK.AMOUNT_MISMATCH', 'BANK.UNKNOWN_REFERENCE']);
    });

    it('takes money that arrives for an expired order into escrow and returns it to the payer at once', async () => {
      const parent = await world.parent();
      const id = (await newContract(parent, 3).expect(201)).body.id;
      const order = (
        await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set(key()).send({ amountFen: 30_000, channel: 'bank_transfer' }).expect(201)
      ).body;
      platform.clock.advance(25 * 3600_000);
      expect(await platform.api.get(PaymentOrdersService).expireDue()).toBeGreaterThanOrEqual(1);
      expect((await contract(parent, id)).payments).toEqual([expect.objectContaining({ status: 'expired' })]);
      const late = await world.receipt(order.reference, 30_000).expect(201);
      expect(late.body).toEqual({ paymentId: order.id, status: 'refunded' });
      expect(await contract(parent, id)).toMatchObject({ status: 'awaiting_payment', paidFen: 0, escrowFen: 0, refundedFen: 0, lessonsRemaining: 3 });
      const instructions = await http().get('/api/v1/bank/payout-instructions?status=pending').set('X-Api-Key', world.bankKey).expect(200);
      expect(instructions.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'parent_refund', contractId: id, amountFen: 30_000 })]));
    });

    it('returns money received before its order expired but reported after a newer order paid the contract in full', async () => {
      // Found by test/integration/ledger-properties.int-spec.ts (a 500: paid_fen above the price). An
      // expired order stops counting against what is left to pay, yet the bank may report money it
      // received before the expiry later (a statement line is dated by its day): escrow never holds more
      // than the contract's price, so that money goes back to the payer.
      const parent = await world.parent();
      const id = (await newContract(parent, 3).expect(201)).body.id;
      const order = () =>
        http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set(key()).send({ amountFen: 30_000, channel: 'bank_transfer' }).expect(201);
      const first = (await order()).body;
      const receivedAt = platform.clock.now().toISOString();
      platform.clock.advance(25 * 3600_000);
      const second = (await order()).body;
      expect((await world.receipt(second.reference, 30_000).expect(201)).body.status).toBe('confirmed');
      const late = await http()
        .post('/api/v1/bank/receipts')
        .set('X-Api-Key', world.bankKey)
        .set(key())
        .send({ reference: first.reference, amountFen: 30_000, bankRef: `BK-LATE-${id}`, receivedAt })
        .expect(201);
      expect(late.body).toEqual({ paymentId: first.id, status: 'refunded' });
      expect(await contract(parent, id)).toMatchObject({ status: 'active', paidFen: 30_000, escrowFen: 30_000 });
    });

    it('returns money that arrives while the institution is not in good standing', async () => {
      const parent = await world.parent();
      const suspended = await world.school(10_000);
      const id = (
        await http()
          .post('/api/v1/contracts')
          .set(as(parent))
          .send({ courseId: suspended.courseId, studentName: '赵', lessons: 2, ...contractWindow(platform.clock) })
          .expect(201)
      ).body.id;
      const order = (
        await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set(key()).send({ amountFen: 20_000, channel: 'bank_transfer' }).expect(201)
      ).body;
      await http().post(`/api/v1/institutions/${suspended.institutionId}/suspend`).set(as(world.regulator)).send({ reason: '整改' }).expect(200);
      expect((await world.receipt(order.reference, 20_000).expect(201)).body.status).toBe('refunded');
      expect(await contract(parent, id)).toMatchObject({ paidFen: 0, escrowFen: 0 });
    });

    it('takes the statement line and the API receipt of one transfer as one payment, whichever comes first', async () => {
      const parent = await world.parent();
      const id = (await newContract(parent, 2).expect(201)).body.id;
      const order = (
        await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set(key()).send({ amountFen: 20_000, channel: 'bank_transfer' }).expect(201)
      ).body;
      const statement = { lines: [{ date: platform.clock.today(), amountFen: 20_000, direction: 'in', reference: order.reference }] };
      expect((await http().post('/api/v1/bank/statement-lines').set('X-Api-Key', world.bankKey).send(statement).expect(200)).body.confirmedOrders).toBe(1);
      expect((await world.receipt(order.reference, 20_000, `BK-late-${id}`).expect(201)).body).toEqual({ paymentId: order.id, status: 'confirmed' });
      expect(await contract(parent, id)).toMatchObject({ paidFen: 20_000, escrowFen: 20_000, payments: [{ bankRef: `BK-late-${id}` }] });
    });
  });

  describe('lessons', () => {
    it('records a roll call in one request, each pupil pending and told, the window counted from the notice', async () => {
      const parents = await Promise.all([world.parent(), world.parent(), world.parent()]);
      const ids = await Promise.all(parents.map((parent) => world.paidContract(parent, school, 5)));
      const lesson = await world.recordLesson(school, ids, lessonAt(platform.clock, 3)).expect(201);
      expect(lesson.body.consumptions).toHaveLength(3);
      // Today (the notice) + 7 working days of the calendar (unit-tested on its own); confirmed from the next midnight.
      const calendar = await platform.api.get(ReferenceDataService).workingDayCalendar();
      const autoConfirmAt = shanghaiMidnight(addDays(calendar.addWorkingDays(platform.clock.today(), 7), 1)).toISOString();
      expect(lesson.body.consumptions[0]).toMatchObject({ status: 'pending', amountFen: 10_000, autoConfirmAt });
      const consumption = lesson.body.consumptions.find((c: { contractId: string }) => c.contractId === ids[0]);
      // The parent's notice was written with the lesson, before any job ran.
      const notices = await http().get('/api/v1/notifications?unread=true').set(as(parents[0])).expect(200);
      expect(notices.body.items).toEqual([
        expect.objectContaining({
          kind: 'lesson.recorded',
          readAt: null,
          data: expect.objectContaining({ consumptionId: consumption.id, contractId: ids[0], amountFen: 10_000, autoConfirmAt }),
        }),
      ]);
      await http().post(`/api/v1/notifications/${notices.body.items[0].id}/read`).set(as(parents[1])).expect(404);
      await http().post(`/api/v1/notifications/${notices.body.items[0].id}/read`).set(as(parents[0])).expect(200);
      expect((await http().get('/api/v1/notifications?unread=true').set(as(parents[0])).expect(200)).body.total).toBe(0);

      expect(await contract(parents[0], ids[0])).toMatchObject({
        escrowFen: 50_000,
        pendingFen: 10_000,
        availableFen: 40_000,
        consumedFen: 0,
        lessonsRemaining: 4,
      });
      await http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parents[0])).set(key()).send({}).expect(200);
      expect(await contract(parents[0], ids[0])).toMatchObject({ escrowFen: 40_000, pendingFen: 0, consumedFen: 10_000 });
      const again = await http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parents[0])).set(key()).send({}).expect(409);
      expect(again.body).toMatchObject({ code: 'CONSUMPTION.INVALID_STATE', currentStatus: 'confirmed' });
      await http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parents[1])).set(key()).send({}).expect(404);
    });

    it('refuses lessons in the future, outside the contract’s dates, and on contracts without confirmed money', async () => {
      const parent = await world.parent();
      const paid = await world.paidContract(parent, school, 5);
      // Tomorrow morning: inside the allowed hours whatever the hour of the run, so only "future" can refuse it.
      const tomorrowMorning = `${platform.clock.daysFromToday(1)}T10:00:00+08:00`;
      expect((await world.recordLesson(school, [paid], tomorrowMorning).expect(422)).body).toMatchObject({ code: 'LESSON.OUT_OF_WINDOW', reason: 'future' });
      expect((await world.recordLesson(school, [paid], lessonAt(platform.clock, 20)).expect(422)).body).toMatchObject({
        code: 'LESSON.OUT_OF_WINDOW',
        reason: 'outside_contract_dates',
        contractId: paid,
      });
      const unpaid = (await newContract(parent, 5, { studentName: '王小刚' }).expect(201)).body.id;
      await http().post(`/api/v1/contracts/${unpaid}/payments`).set(as(parent)).set(key()).send({ amountFen: 50_000, channel: 'alipay' }).expect(201);
      expect((await world.recordLesson(school, [unpaid]).expect(422)).body).toMatchObject({
        code: 'LESSON.OUT_OF_WINDOW',
        reason: 'no_confirmed_money',
        contractId: unpaid,
      });
      expect(await contract(parent, paid)).toMatchObject({ pendingFen: 0, lessonsRemaining: 5 });
    });

    it('refuses the whole roll call when one pupil’s escrow cannot pay, changing nothing', async () => {
      const rich = await world.parent();
      const richContract = await world.paidContract(rich, school, 5);
      const poor = await world.parent();
      const unpaid = (await newContract(poor, 5, { studentName: '李' }).expect(201)).body.id;
      await world.pay(poor, unpaid, 5_000);
      const refused = await world.recordLesson(school, [richContract, unpaid]).expect(422);
      expect(refused.body.code).toBe('LEDGER.INSUFFICIENT_ESCROW');
      expect(await contract(rich, richContract)).toMatchObject({ pendingFen: 0, availableFen: 50_000, lessonsRemaining: 5 });
    });

    it('refuses lessons ending after the allowed hour, and subject lessons on rest days', async () => {
      const parent = await world.parent();
      const id = await world.paidContract(parent, school, 5);
      const late = await world.recordLesson(school, [id], lessonAt(platform.clock, 1, '20:00')).expect(422);
      expect(late.body).toMatchObject({ code: 'POLICY.OUTSIDE_ALLOWED_HOURS', latestEnd: '20:30' });

      // Which days rest is the calendar's (holidays and 调休 are unit-tested in working-day-calendar.spec.ts).
      const calendar = await platform.api.get(ReferenceDataService).workingDayCalendar();
      const subjectSchool = await world.school(8_000, 'subject');
      const pupil = await world.paidContract(parent, subjectSchool, 5);
      const weekend = daysBackTo(platform.clock, restWeekend(calendar));
      const refused = await world.recordLesson(subjectSchool, [pupil], lessonAt(platform.clock, weekend)).expect(422);
      expect(refused.body).toMatchObject({ code: 'POLICY.REST_DAY', date: platform.clock.daysFromToday(-weekend) });
      await world.recordLesson(subjectSchool, [pupil], lessonAt(platform.clock, daysBackTo(platform.clock, workingDay(calendar)))).expect(201);
    });

    it('holds a disputed lesson until a regulator posts or voids it', async () => {
      const parent = await world.parent();
      const id = await world.paidContract(parent, school, 5);
      const [first] = (await world.recordLesson(school, [id]).expect(201)).body.consumptions;
      const [second] = (await world.recordLesson(school, [id], lessonAt(platform.clock, 2)).expect(201)).body.consumptions;
      await http().post(`/api/v1/consumptions/${first.id}/dispute`).set(as(parent)).send({ reason: '老师没来' }).expect(200);
      await http().post(`/api/v1/consumptions/${second.id}/dispute`).set(as(parent)).send({}).expect(200);
      await http()
        .post(`/api/v1/consumptions/${first.id}/resolve`)
        .set(as(world.regulator))
        .set(key())
        .send({ outcome: 'void', reason: '核实未上课' })
        .expect(200);
      await http()
        .post(`/api/v1/consumptions/${second.id}/resolve`)
        .set(as(world.regulator))
        .set(key())
        .send({ outcome: 'confirm', reason: '核实已上课' })
        .expect(200);
      expect(await contract(parent, id)).toMatchObject({ escrowFen: 40_000, pendingFen: 0, consumedFen: 10_000, lessonsRemaining: 4 });
      await http().post(`/api/v1/consumptions/${first.id}/resolve`).set(as(world.regulator)).set(key()).send({ outcome: 'confirm', reason: 'x' }).expect(409);
    });

    it('auto-confirms lessons past their window, once', async () => {
      const parent = await world.parent();
      const id = await world.paidContract(parent, school, 5);
      const [consumption] = (await world.recordLesson(school, [id]).expect(201)).body.consumptions;
      const aMinuteAgo = new Date(platform.clock.now().getTime() - 60_000);
      await platform.api.get(DataSource).query(`UPDATE consumptions SET auto_confirm_at = $2 WHERE id = $1`, [consumption.id, aMinuteAgo]);
      const lessons = platform.api.get(LessonsService);
      expect(await lessons.autoConfirmDue()).toBe(1);
      expect(await lessons.autoConfirmDue()).toBe(0);
      expect(await contract(parent, id)).toMatchObject({ consumedFen: 10_000, pendingFen: 0 });
    });
  });

  describe('refunds', () => {
    it('refunds everything unconsumed and not pending when the institution accepts, and pays the parent when the bank acknowledges', async () => {
      const parent = await world.parent();
      const id = await world.paidContract(parent, school, 5);
      await world.recordLesson(school, [id]).expect(201);
      const request = await http().post(`/api/v1/contracts/${id}/refund-requests`).set(as(parent)).set(key()).send({ reason: '搬家' }).expect(201);
      expect(request.body).toMatchObject({ kind: 'request', status: 'requested', deemedAcceptedAt: expect.any(String) });
      await http().post(`/api/v1/contracts/${id}/refund-requests`).set(as(parent)).set(key()).send({ reason: 'again' }).expect(409);
      // The parent's contract carries the waiting request: what it would return now and by when it is answered.
      expect(await contract(parent, id)).toMatchObject({
        availableFen: 40_000,
        refundRequests: [{ id: request.body.id, status: 'requested', amountFen: null, deemedAcceptedAt: request.body.deemedAcceptedAt }],
      });
      await http().post(`/api/v1/refund-requests/${request.body.id}/accept`).set(as(world.owner)).set(key()).send({}).expect(200);
      expect(await contract(parent, id)).toMatchObject({
        status: 'refunded',
        refundedFen: 40_000,
        escrowFen: 10_000,
        pendingFen: 10_000,
        refundRequests: [{ id: request.body.id, status: 'accepted', amountFen: 40_000 }],
      });

      const instructions = await http().get('/api/v1/bank/payout-instructions?status=pending').set('X-Api-Key', world.bankKey).expect(200);
      const refund = instructions.body.items.find((item: { contractId: string; kind: string }) => item.contractId === id && item.kind === 'parent_refund');
      expect(refund).toMatchObject({ amountFen: 40_000, status: 'pending' });
      const ack = { bankRef: 'BK-1', executedAt: platform.clock.now().toISOString() };
      await http().post(`/api/v1/bank/payout-instructions/${refund.id}/ack`).set('X-Api-Key', world.bankKey).send(ack).expect(200);
      await http().post(`/api/v1/bank/payout-instructions/${refund.id}/ack`).set('X-Api-Key', world.bankKey).send(ack).expect(200);
      const other = await http()
        .post(`/api/v1/bank/payout-instructions/${refund.id}/ack`)
        .set('X-Api-Key', world.bankKey)
        .send({ ...ack, bankRef: 'BK-2' })
        .expect(409);
      expect(other.body).toMatchObject({ code: 'BANK.ALREADY_EXECUTED', currentStatus: 'executed' });
      expect(other.body.detail).toContain('BK-1');
    });

    it('accepts a refund the institution leaves unanswered, and lets it reject one instead', async () => {
      const parent = await world.parent();
      const id = await world.paidContract(parent, school, 3);
      const request = await http().post(`/api/v1/contracts/${id}/refund-requests`).set(as(parent)).set(key()).send({ reason: '不满意' }).expect(201);
      const aMinuteAgo = new Date(platform.clock.now().getTime() - 60_000);
      await platform.api.get(DataSource).query(`UPDATE refund_requests SET deemed_accepted_at = $2 WHERE id = $1`, [request.body.id, aMinuteAgo]);
      const refunds = platform.api.get(RefundsService);
      expect(await refunds.autoAcceptDue()).toBe(1);
      expect(await refunds.autoAcceptDue()).toBe(0);
      expect(await contract(parent, id)).toMatchObject({ status: 'refunded', refundedFen: 30_000, escrowFen: 0 });

      const other = await world.paidContract(parent, school, 3, '王小红');
      const second = await http().post(`/api/v1/contracts/${other}/refund-requests`).set(as(parent)).set(key()).send({ reason: '不满意' }).expect(201);
      const rejected = await http().post(`/api/v1/refund-requests/${second.body.id}/reject`).set(as(world.owner)).send({ reason: '合同约定不退' }).expect(200);
      expect(rejected.body.status).toBe('rejected');
    });
  });

  describe('the rolling transfer', () => {
    it('settles the confirmed tuition less the retention once per period, holds the payout while frozen, and lets money leave custody only when the bank pays', async () => {
      const fresh = await world.school(20_000);
      const parent = await world.parent();
      const id = await world.paidContract(parent, fresh, 5);
      const [consumption] = (await world.recordLesson(fresh, [id]).expect(201)).body.consumptions;
      await http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parent)).set(key()).send({}).expect(200);

      await http().post(`/api/v1/institutions/${fresh.institutionId}/freeze`).set(as(world.regulator)).send({ reason: '核查' }).expect(200);
      const frozenRun = await http().post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }).expect(200);
      expect(frozenRun.body.skipped).toEqual(expect.arrayContaining([{ institutionId: fresh.institutionId, settled: false, reason: 'frozen' }]));
      await http().post(`/api/v1/institutions/${fresh.institutionId}/unfreeze`).set(as(world.regulator)).send({ reason: '核查无误' }).expect(200);

      const run = await http().post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }).expect(200);
      const settled = run.body.settlements.find((item: { institutionId: string }) => item.institutionId === fresh.institutionId);
      expect(settled).toMatchObject({ payableFen: 20_000, payoutFen: 16_000, retainedFen: 4_000, releasedFen: 0 });
      const again = await http().post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }).expect(200);
      expect(again.body.settlements.find((item: { institutionId: string }) => item.institutionId === fresh.institutionId)).toBeUndefined();

      const balances = async () => {
        const escrow = await http().get(`/api/v1/institutions/${fresh.institutionId}/escrow`).set(as(world.owner)).expect(200);
        const balance = (code: string) => escrow.body.accounts.find((account: { code: string }) => account.code === code).balanceFen;
        return { custody: balance('custody'), payable: balance('payable'), reserve: balance('reserve'), payouts: balance('payouts') };
      };
      // Custody is what the bank holds: the payout waits in `payouts` until the bank executes it.
      expect(await balances()).toEqual({ custody: 100_000, payable: 0, reserve: 4_000, payouts: 16_000 });
      const history = await http().get(`/api/v1/settlements?institutionId=${fresh.institutionId}`).set(as(world.owner)).expect(200);
      expect(history.body.items).toHaveLength(1);

      const bankView = async (status: string) =>
        (await http().get(`/api/v1/bank/payout-instructions?status=${status}`).set('X-Api-Key', world.bankKey).expect(200)).body.items.filter(
          (item: { institutionId: string; kind: string }) => item.institutionId === fresh.institutionId && item.kind === 'institution_payout',
        );
      const [payout] = await bankView('pending');
      expect(payout).toMatchObject({ amountFen: 16_000, status: 'pending' });

      // Frozen again: the bank no longer sees the payout as pending, and cannot execute it.
      await http().post(`/api/v1/institutions/${fresh.institutionId}/freeze`).set(as(world.regulator)).send({ reason: '再次核查' }).expect(200);
      expect(await bankView('pending')).toEqual([]);
      expect(await bankView('held')).toEqual([expect.objectContaining({ id: payout.id, status: 'held' })]);
      const desk = await http().get(`/api/v1/payout-instructions?institutionId=${fresh.institutionId}`).set(as(world.owner)).expect(200);
      expect(desk.body.items).toEqual([expect.objectContaining({ id: payout.id, status: 'held' })]);
      const ack = { bankRef: 'BK-PAYOUT', executedAt: platform.clock.now().toISOString() };
      const held = await http().post(`/api/v1/bank/payout-instructions/${payout.id}/ack`).set('X-Api-Key', world.bankKey).send(ack).expect(409);
      expect(held.body).toMatchObject({ code: 'PAYOUT.HELD', currentStatus: 'held' });

      await http().post(`/api/v1/institutions/${fresh.institutionId}/unfreeze`).set(as(world.regulator)).send({ reason: '核查无误' }).expect(200);
      expect(await bankView('pending')).toEqual([expect.objectContaining({ id: payout.id })]);
      await http().post(`/api/v1/bank/payout-instructions/${payout.id}/ack`).set('X-Api-Key', world.bankKey).send(ack).expect(200);
      expect(await balances()).toEqual({ custody: 84_000, payable: 0, reserve: 4_000, payouts: 0 });
    });

    it('refunds every contract automatically when a licence is revoked, cancels its pending payouts, and refuses closure while money is held', async () => {
      const doomed = await world.school(10_000);
      const parent = await world.parent();
      const id = await world.paidContract(parent, doomed, 4);
      const confirmed = await world.paidContract(parent, doomed, 2, '王小红');
      const closing = await http().post(`/api/v1/institutions/${doomed.institutionId}/close`).set(as(world.owner)).send({}).expect(409);
      expect(closing.body.code).toBe('LICENCE.CONTRACTS_HOLD_MONEY');
      await world.recordLesson(doomed, [id]).expect(201);
      const [lesson] = (await world.recordLesson(doomed, [confirmed]).expect(201)).body.consumptions;
      await http().post(`/api/v1/consumptions/${lesson.id}/confirm`).set(as(parent)).set(key()).send({}).expect(200);
      await http().post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }).expect(200);
      await http().post(`/api/v1/institutions/${doomed.institutionId}/suspend`).set(as(world.regulator)).send({ reason: '跑路风险' }).expect(200);
      await http().post(`/api/v1/institutions/${doomed.institutionId}/revoke`).set(as(world.regulator)).send({ reason: '吊销' }).expect(200);
      const refunds = platform.api.get(RefundsService);
      expect(await refunds.refundInstitution(doomed.institutionId)).toEqual({ refunded: 2, failed: 0, payoutsCancelled: 1 });
      expect(await refunds.refundInstitution(doomed.institutionId)).toEqual({ refunded: 0, failed: 0, payoutsCancelled: 0 });
      expect(await contract(parent, id)).toMatchObject({ status: 'refunded', refundedFen: 40_000, escrowFen: 0, pendingFen: 0 });
      const payouts = await http().get(`/api/v1/payout-instructions?institutionId=${doomed.institutionId}`).set(as(world.regulator)).expect(200);
      const cancelled = payouts.body.items.find((item: { kind: string }) => item.kind === 'institution_payout');
      expect(cancelled).toMatchObject({ status: 'cancelled', amountFen: 8_000 });
      const ack = await http()
        .post(`/api/v1/bank/payout-instructions/${cancelled.id}/ack`)
        .set('X-Api-Key', world.bankKey)
        .send({ bankRef: 'BK-X', executedAt: platform.clock.now().toISOString() })
        .expect(409);
      expect(ack.body.code).toBe('PAYOUT.CANCELLED');
    });
  });

  it('reports every invariant of the ledger as holding', async () => {
    const check = await ledgerCheck();
    expect(check.ok).toBe(true);
    expect(check.invariants.map((invariant: { invariant: string }) => invariant.invariant)).toEqual([
      'debits_equal_credits',
      'no_negative_escrow',
      'custody_equals_liabilities',
      'balances_match_transfers',
      'transfers_within_one_institution',
      'contract_escrow_matches_activity',
      'custody_backed_by_receipts',
    ]);
  });
});
