import { DataSource } from 'typeorm';
import { LessonsService, RefundsService } from '@app/tuition';
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

  describe('contracts and payments', () => {
    it('refuses a contract past the district’s prepaid limits, naming the limit', async () => {
      const parent = await world.parent();
      const base = { courseId: school.courseId, studentName: '王小明', startDate: '2026-12-01', endDate: '2027-01-31' };
      const tooMany = await http()
        .post('/api/v1/contracts')
        .set(as(parent))
        .send({ ...base, lessons: 61 })
        .expect(422);
      expect(tooMany.body).toMatchObject({ code: 'POLICY.PREPAID_LIMIT', limit: 'maxPrepaidLessons' });
      const tooLong = await http()
        .post('/api/v1/contracts')
        .set(as(parent))
        .send({ ...base, lessons: 10, endDate: '2027-03-01' })
        .expect(422);
      expect(tooLong.body).toMatchObject({ code: 'POLICY.PREPAID_LIMIT', limit: 'maxPrepaidMonths' });
      const tooDear = await http()
        .post('/api/v1/contracts')
        .set(as(parent))
        .send({ ...base, lessons: 51 })
        .expect(422);
      expect(tooDear.body).toMatchObject({ code: 'POLICY.PREPAID_LIMIT', limit: 'maxPrepaidAmountFen' });
    });

    it('takes a payment into escrow once, however often it is retried, and never beyond the price', async () => {
      const parent = await world.parent();
      const created = await http()
        .post('/api/v1/contracts')
        .set(as(parent))
        .send({ courseId: school.courseId, studentName: '王小明', lessons: 10, startDate: '2026-12-01', endDate: '2027-01-31' })
        .expect(201);
      expect(created.body).toMatchObject({ status: 'awaiting_payment', totalFen: 100_000 });
      const id = created.body.id;
      const payment = { amountFen: 60_000, channel: 'alipay', externalRef: 'ALI-1' };
      await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).send(payment).expect(400);
      const first = await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set('Idempotency-Key', 'pay-once-0001').send(payment).expect(201);
      const retry = await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set('Idempotency-Key', 'pay-once-0001').send(payment).expect(201);
      expect(retry.body).toEqual(first.body);
      const reused = await http()
        .post(`/api/v1/contracts/${id}/payments`)
        .set(as(parent))
        .set('Idempotency-Key', 'pay-once-0001')
        .send({ ...payment, amountFen: 1 })
        .expect(409);
      expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
      expect(await contract(parent, id)).toMatchObject({ status: 'active', paidFen: 60_000, escrowFen: 60_000, lessonsRemaining: 10 });
      const over = await http()
        .post(`/api/v1/contracts/${id}/payments`)
        .set(as(parent))
        .set(key())
        .send({ ...payment, externalRef: 'ALI-2', amountFen: 40_001 })
        .expect(422);
      expect(over.body).toMatchObject({ code: 'CONTRACT.OVERPAYMENT', remainingFen: 40_000 });
    });

    it('answers concurrent requests with one Idempotency-Key with one payment: the second waits for the first', async () => {
      const parent = await world.parent();
      const created = await http()
        .post('/api/v1/contracts')
        .set(as(parent))
        .send({ courseId: school.courseId, studentName: '李小红', lessons: 10, startDate: '2026-12-01', endDate: '2027-01-31' })
        .expect(201);
      const pay = () =>
        http()
          .post(`/api/v1/contracts/${created.body.id}/payments`)
          .set(as(parent))
          .set('Idempotency-Key', 'pay-together-0001')
          .send({ amountFen: 30_000, channel: 'alipay', externalRef: 'ALI-TOGETHER-1' });
      const answers = await Promise.all([pay(), pay(), pay()]);
      expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
      for (const answer of answers) expect(answer.body).toEqual(answers[0].body);
      expect(await contract(parent, created.body.id)).toMatchObject({ paidFen: 30_000, escrowFen: 30_000 });
    });

    it('hides a contract from other parents and other districts with 404', async () => {
      const parent = await world.parent();
      const id = await world.paidContract(parent, school);
      const stranger = await world.parent();
      await http().get(`/api/v1/contracts/${id}`).set(as(stranger)).expect(404);
      await http()
        .post(`/api/v1/contracts/${id}/payments`)
        .set(as(stranger))
        .set(key())
        .send({ amountFen: 1, channel: 'alipay', externalRef: 'X' })
        .expect(404);
      await http().get(`/api/v1/contracts/${id}`).set(as(world.owner)).expect(200);
      await http().get(`/api/v1/contracts/${id}`).set(as(world.regulator)).expect(200);
    });
  });

  describe('lessons', () => {
    it('records a roll call for a class in one request, each pupil pending until confirmed, with autoConfirmAt after 7 working days', async () => {
      const parents = await Promise.all([world.parent(), world.parent(), world.parent()]);
      const ids = await Promise.all(parents.map((parent) => world.paidContract(parent, school, 5)));
      const lesson = await world.recordLesson(school, ids).expect(201);
      expect(lesson.body.consumptions).toHaveLength(3);
      // Wednesday 2026-12-02 + 7 working days = Friday 2026-12-11; confirmed from the next midnight in Shanghai.
      expect(lesson.body.consumptions[0]).toMatchObject({ status: 'pending', amountFen: 10_000, autoConfirmAt: '2026-12-11T16:00:00.000Z' });
      const view = await contract(parents[0], ids[0]);
      expect(view).toMatchObject({ escrowFen: 50_000, pendingFen: 10_000, availableFen: 40_000, consumedFen: 0, lessonsRemaining: 4 });

      const consumption = lesson.body.consumptions.find((c: { contractId: string }) => c.contractId === ids[0]);
      await http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parents[0])).set(key()).send({}).expect(200);
      expect(await contract(parents[0], ids[0])).toMatchObject({ escrowFen: 40_000, pendingFen: 0, consumedFen: 10_000 });
      const again = await http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parents[0])).set(key()).send({}).expect(409);
      expect(again.body).toMatchObject({ code: 'CONSUMPTION.INVALID_STATE', currentStatus: 'confirmed' });
      await http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parents[1])).set(key()).send({}).expect(404);
    });

    it('refuses the whole roll call when one pupil’s escrow cannot pay, changing nothing', async () => {
      const rich = await world.parent();
      const richContract = await world.paidContract(rich, school, 5);
      const poor = await world.parent();
      const unpaid = await http()
        .post('/api/v1/contracts')
        .set(as(poor))
        .send({ courseId: school.courseId, studentName: '李', lessons: 5, startDate: '2026-12-01', endDate: '2027-01-31' })
        .expect(201);
      await http()
        .post(`/api/v1/contracts/${unpaid.body.id}/payments`)
        .set(as(poor))
        .set(key())
        .send({ amountFen: 5_000, channel: 'alipay', externalRef: 'ALI-poor' })
        .expect(201);
      const refused = await world.recordLesson(school, [richContract, unpaid.body.id]).expect(422);
      expect(refused.body.code).toBe('LEDGER.INSUFFICIENT_ESCROW');
      expect(await contract(rich, richContract)).toMatchObject({ pendingFen: 0, availableFen: 50_000, lessonsRemaining: 5 });
    });

    it('refuses lessons ending after the allowed hour, and subject lessons on rest days', async () => {
      const parent = await world.parent();
      const id = await world.paidContract(parent, school, 5);
      const late = await world.recordLesson(school, [id], '2026-12-02T20:00:00+08:00').expect(422);
      expect(late.body).toMatchObject({ code: 'POLICY.OUTSIDE_ALLOWED_HOURS', latestEnd: '20:30' });

      const subjectSchool = await world.school(8_000, 'subject');
      const pupil = await world.paidContract(parent, subjectSchool, 5);
      const saturday = await world.recordLesson(subjectSchool, [pupil], '2026-12-05T10:00:00+08:00').expect(422);
      expect(saturday.body).toMatchObject({ code: 'POLICY.REST_DAY', date: '2026-12-05' });
      const nationalDay = await world.recordLesson(subjectSchool, [pupil], '2026-10-05T10:00:00+08:00').expect(422);
      expect(nationalDay.body.code).toBe('POLICY.REST_DAY');
      await world.recordLesson(subjectSchool, [pupil], '2026-10-10T10:00:00+08:00').expect(201); // a make-up working Saturday
    });

    it('holds a disputed lesson until a regulator posts or voids it', async () => {
      const parent = await world.parent();
      const id = await world.paidContract(parent, school, 5);
      const [first] = (await world.recordLesson(school, [id]).expect(201)).body.consumptions;
      const [second] = (await world.recordLesson(school, [id], '2026-12-03T10:00:00+08:00').expect(201)).body.consumptions;
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
      await platform.api.get(DataSource).query(`UPDATE consumptions SET auto_confirm_at = now() - interval '1 minute' WHERE id = $1`, [consumption.id]);
      const lessons = platform.api.get(LessonsService);
      expect(await lessons.autoConfirmDue()).toBeGreaterThanOrEqual(1); // the make-up Saturday lesson above is long due too
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
      expect(request.body).toMatchObject({ status: 'requested', deemedAcceptedAt: expect.any(String) });
      await http().post(`/api/v1/contracts/${id}/refund-requests`).set(as(parent)).set(key()).send({ reason: 'again' }).expect(409);
      await http().post(`/api/v1/refund-requests/${request.body.id}/accept`).set(as(world.owner)).set(key()).send({}).expect(200);
      expect(await contract(parent, id)).toMatchObject({ status: 'refunded', refundedFen: 40_000, escrowFen: 10_000, pendingFen: 10_000 });

      const bankKey = (await http().post('/api/v1/bank-clients').set(as(world.admin)).send({ name: '银行', districtCode: '430104' }).expect(201)).body.apiKey;
      const instructions = await http().get('/api/v1/bank/payout-instructions?status=pending').set('X-Api-Key', bankKey).expect(200);
      const refund = instructions.body.items.find((item: { contractId: string }) => item.contractId === id);
      expect(refund).toMatchObject({ kind: 'parent_refund', amountFen: 40_000 });
      await http()
        .post(`/api/v1/bank/payout-instructions/${refund.id}/ack`)
        .set('X-Api-Key', bankKey)
        .send({ bankRef: 'BK-1', executedAt: '2026-12-03T09:00:00+08:00' })
        .expect(200);
      await http()
        .post(`/api/v1/bank/payout-instructions/${refund.id}/ack`)
        .set('X-Api-Key', bankKey)
        .send({ bankRef: 'BK-1', executedAt: '2026-12-03T09:00:00+08:00' })
        .expect(200);
    });

    it('accepts a refund the institution leaves unanswered, and lets it reject one instead', async () => {
      const parent = await world.parent();
      const id = await world.paidContract(parent, school, 3);
      const request = await http().post(`/api/v1/contracts/${id}/refund-requests`).set(as(parent)).set(key()).send({ reason: '不满意' }).expect(201);
      await platform.api.get(DataSource).query(`UPDATE refund_requests SET deemed_accepted_at = now() - interval '1 minute' WHERE id = $1`, [request.body.id]);
      const refunds = platform.api.get(RefundsService);
      expect(await refunds.autoAcceptDue()).toBe(1);
      expect(await refunds.autoAcceptDue()).toBe(0);
      expect(await contract(parent, id)).toMatchObject({ status: 'refunded', refundedFen: 30_000, escrowFen: 0 });

      const other = await world.paidContract(parent, school, 3);
      const second = await http().post(`/api/v1/contracts/${other}/refund-requests`).set(as(parent)).set(key()).send({ reason: '不满意' }).expect(201);
      const rejected = await http().post(`/api/v1/refund-requests/${second.body.id}/reject`).set(as(world.owner)).send({ reason: '合同约定不退' }).expect(200);
      expect(rejected.body.status).toBe('rejected');
    });
  });

  describe('the rolling transfer', () => {
    it('pays out the confirmed tuition less the retention, once per period, and not while frozen', async () => {
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

      const escrow = await http().get(`/api/v1/institutions/${fresh.institutionId}/escrow`).set(as(world.owner)).expect(200);
      const balance = (code: string) => escrow.body.accounts.find((account: { code: string }) => account.code === code).balanceFen;
      expect({ custody: balance('custody'), payable: balance('payable'), reserve: balance('reserve') }).toEqual({
        custody: 84_000,
        payable: 0,
        reserve: 4_000,
      });
      const history = await http().get(`/api/v1/settlements?institutionId=${fresh.institutionId}`).set(as(world.owner)).expect(200);
      expect(history.body.items).toHaveLength(1);
    });

    it('refunds every contract automatically when a licence is revoked, and refuses closure while money is held', async () => {
      const doomed = await world.school(10_000);
      const parent = await world.parent();
      const id = await world.paidContract(parent, doomed, 4);
      const closing = await http().post(`/api/v1/institutions/${doomed.institutionId}/close`).set(as(world.owner)).send({}).expect(409);
      expect(closing.body.code).toBe('LICENCE.CONTRACTS_HOLD_MONEY');
      await world.recordLesson(doomed, [id]).expect(201);
      await http().post(`/api/v1/institutions/${doomed.institutionId}/suspend`).set(as(world.regulator)).send({ reason: '跑路风险' }).expect(200);
      await http().post(`/api/v1/institutions/${doomed.institutionId}/revoke`).set(as(world.regulator)).send({ reason: '吊销' }).expect(200);
      expect(await platform.api.get(RefundsService).refundInstitution(doomed.institutionId)).toBe(1);
      expect(await platform.api.get(RefundsService).refundInstitution(doomed.institutionId)).toBe(0);
      expect(await contract(parent, id)).toMatchObject({ status: 'refunded', refundedFen: 40_000, escrowFen: 0, pendingFen: 0 });
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
      'contract_escrow_matches_activity',
    ]);
  });
});
