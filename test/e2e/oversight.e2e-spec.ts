import { ReferenceDataService, addDays, shanghaiMidnight } from '@app/core';
import { ReconciliationService, ReportsService, RiskService } from '@app/oversight';
import { contractWindow } from '../support/dates';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld, as } from '../support/tuition-world';

const POLICY = {
  maxPrepaidLessons: 60,
  maxPrepaidMonths: 3,
  maxPrepaidAmountFen: 500000,
  confirmWindowWorkingDays: 7,
  refundResponseWorkingDays: 5,
  settlementCycle: 'weekly',
  retentionRate: 0.2,
  retentionDays: 90,
  guidedPrices: {},
  reportDueDay: 10,
  latestOfflineEnd: '20:30',
  latestOnlineEnd: '21:00',
};

/**
 * Complaints and a late report turn an institution yellow, then red; the district's regulators get an
 * alert and the public answer changes. Runs with the worker, so events flow through the outbox and BullMQ.
 */
describe('oversight (e2e)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let school: School;
  const http = () => platform.http();
  const publicView = () =>
    http()
      .get(`/api/v1/public/institutions/${school.institutionId}`)
      .expect(200)
      .then((response) => response.body);

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
    await http()
      .put('/api/v1/districts/430104/policy')
      .set(as(world.regulator))
      .send({ ...POLICY, riskThresholds: { complaints30d: 2, refundRequests30d: 3, enrollmentSpikeFactor: 3, stalledDays: 60, expiringDays: 30 } })
      .expect(200);
    school = await world.school();
    await platform.startWorker();
  });
  afterAll(() => platform?.close());

  it('turns an institution yellow then red on contract-linked complaints and a late report, alerts the regulators, and shows it publicly', async () => {
    expect(await publicView()).toMatchObject({ riskLevel: 'green', list: 'white', complaintsLast12Months: 0 });

    // A late report: a month later, past the due day (the 10th), this month's report is overdue.
    const [year, month] = platform.clock.today().split('-').map(Number);
    platform.clock.travelTo(month === 12 ? `${year + 1}-01-11` : `${year}-${String(month + 1).padStart(2, '0')}-11`);
    expect((await platform.api.get(ReportsService).markOverdue()).marked).toEqual([expect.objectContaining({ institutionId: school.institutionId })]);
    await eventually(async () => expect(await publicView()).toMatchObject({ riskLevel: 'yellow', list: 'white' }));

    // Four parents with a contract of their own each, taught once (so no consumption stalls).
    const complainants: Array<{ parent: string; contractId: string }> = [];
    for (let i = 0; i < 4; i++) {
      const parent = await world.parent();
      complainants.push({ parent, contractId: await world.paidContract(parent, school, 2) });
    }
    await world
      .recordLesson(
        school,
        complainants.map((complainant) => complainant.contractId),
      )
      .expect(201);
    // Complaints tied to no contract of the complainant's count nowhere until a regulator verifies them.
    const bystander = await world.parent();
    for (const description of ['听说老师缺课', '路过看到很吵', '门口停车乱', '宣传单太多']) {
      await http().post('/api/v1/complaints').set(as(bystander)).send({ institutionId: school.institutionId, category: 'other', description }).expect(201);
    }
    await platform.api.get(RiskService).evaluate([school.institutionId]);
    expect(await publicView()).toMatchObject({ riskLevel: 'yellow', list: 'white', complaintsLast12Months: 0 });

    for (const [index, description] of ['老师经常缺课', '课程内容与宣传不符', '退费推诿', '安全隐患'].entries()) {
      const { parent, contractId } = complainants[index];
      await http()
        .post('/api/v1/complaints')
        .set(as(parent))
        .send({ institutionId: school.institutionId, contractId, category: 'lessons_not_delivered', description })
        .expect(201);
    }
    await eventually(async () => expect(await publicView()).toMatchObject({ riskLevel: 'red', list: 'grey', complaintsLast12Months: 4 }));

    const risk = await http().get('/api/v1/risk/institutions?level=red').set(as(world.regulator)).expect(200);
    expect(risk.body.items).toEqual([expect.objectContaining({ id: school.institutionId, level: 'red' })]);
    expect(risk.body.items[0].flags.map((flag: { ruleCode: string }) => flag.ruleCode).sort()).toEqual(['COMPLAINTS_30D', 'OVERDUE_REPORT']);

    const alerts = await http().get('/api/v1/risk/alerts?status=open').set(as(world.regulator)).expect(200);
    expect(alerts.body.items).toEqual([
      expect.objectContaining({ institutionId: school.institutionId, ruleCode: 'COMPLAINTS_30D', severity: 'red', evidence: expect.any(Object) }),
    ]);
    await eventually(async () => {
      const notifications = await http().get('/api/v1/notifications').set(as(world.regulator)).expect(200);
      expect(notifications.body.items.map((item: { kind: string }) => item.kind)).toContain('risk_red');
    });

    const resolved = await http()
      .post(`/api/v1/risk/alerts/${alerts.body.items[0].id}/resolve`)
      .set(as(world.regulator))
      .send({ note: '已约谈，限期整改' })
      .expect(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', note: '已约谈，限期整改' });
    await eventually(async () => expect(await publicView()).toMatchObject({ riskLevel: 'yellow' }), 5_000, 20);
    await http().post(`/api/v1/risk/alerts/${alerts.body.items[0].id}/resolve`).set(as(world.regulator)).send({ note: 'again' }).expect(409);
  });

  it('moves complaints open → in_progress → resolved with replies, and refuses other moves', async () => {
    const parent = await world.parent();
    const filed = await http()
      .post('/api/v1/complaints')
      .set(as(parent))
      .send({ institutionId: school.institutionId, category: 'safety', description: '消防通道堵塞' })
      .expect(201);
    expect(filed.body.status).toBe('open');
    const skip = await http().post(`/api/v1/complaints/${filed.body.id}/transition`).set(as(world.regulator)).send({ to: 'resolved', reply: 'x' }).expect(409);
    expect(skip.body).toMatchObject({ code: 'COMPLAINT.INVALID_TRANSITION', currentStatus: 'open' });
    await http().post(`/api/v1/complaints/${filed.body.id}/transition`).set(as(world.regulator)).send({ to: 'in_progress', reply: '已受理' }).expect(200);
    const done = await http()
      .post(`/api/v1/complaints/${filed.body.id}/transition`)
      .set(as(world.regulator))
      .send({ to: 'resolved', reply: '已整改' })
      .expect(200);
    expect(done.body).toMatchObject({ status: 'resolved', reply: '已整改' });
    const mine = await http().get('/api/v1/complaints').set(as(parent)).expect(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: filed.body.id, status: 'resolved' })]);
  });

  it('puts a name reported as operating without a licence on the black list of public answers once a regulator verifies it', async () => {
    const parent = await world.parent();
    const missing = await http().post('/api/v1/complaints').set(as(parent)).send({ category: 'unlicensed', description: '无证办学' }).expect(422);
    expect(missing.body.code).toBe('COMPLAINT.INSTITUTION_REQUIRED');
    const report = await http()
      .post('/api/v1/complaints')
      .set(as(parent))
      .send({ institutionName: '金牌状元私塾', districtCode: '430104', category: 'unlicensed', description: '小区里无证办学' })
      .expect(201);
    const unchecked = await http().get('/api/v1/public/institutions?q=状元私塾').expect(200);
    expect(unchecked.body).toMatchObject({ total: 0, notice: 'Not found in the register: treat as unlicensed.', reportedUnlicensed: [] });

    await http().post(`/api/v1/complaints/${report.body.id}/transition`).set(as(world.owner)).send({ to: 'verified', reply: 'x' }).expect(403);
    const verified = await http()
      .post(`/api/v1/complaints/${report.body.id}/transition`)
      .set(as(world.regulator))
      .send({ to: 'verified', reply: '现场核实：无证办学' })
      .expect(200);
    expect(verified.body).toMatchObject({ status: 'verified', verifiedAt: expect.any(String) });
    await eventually(async () => {
      const answer = await http().get('/api/v1/public/institutions?q=状元私塾').expect(200);
      expect(answer.body.reportedUnlicensed).toEqual([expect.objectContaining({ name: '金牌状元私塾', list: 'black', reports: 1 })]);
    });
    const audit = await http().get(`/api/v1/audit?targetId=${report.body.id}`).set(as(world.admin)).expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'complaint.verified', targetType: 'complaint' })]);
  });

  it('counts a complaint without the complainant’s contract once a regulator verifies it', async () => {
    const fresh = await world.school();
    const parent = await world.parent();
    const filed = await http()
      .post('/api/v1/complaints')
      .set(as(parent))
      .send({ institutionId: fresh.institutionId, category: 'safety', description: '消防通道堵塞' })
      .expect(201);
    const publicCount = async () => (await http().get(`/api/v1/public/institutions/${fresh.institutionId}`).expect(200)).body.complaintsLast12Months;
    expect(await publicCount()).toBe(0);
    await http().post(`/api/v1/complaints/${filed.body.id}/transition`).set(as(world.regulator)).send({ to: 'verified', reply: '已核实' }).expect(200);
    await eventually(async () => expect(await publicCount()).toBe(1));
    const again = await http().post(`/api/v1/complaints/${filed.body.id}/transition`).set(as(world.regulator)).send({ to: 'verified', reply: 'x' }).expect(409);
    expect(again.body).toMatchObject({ code: 'COMPLAINT.INVALID_TRANSITION', currentStatus: 'verified' });
    // Resolved after verification it still counts; it happened.
    await http().post(`/api/v1/complaints/${filed.body.id}/transition`).set(as(world.regulator)).send({ to: 'resolved', reply: '已整改' }).expect(200);
    await eventually(async () => expect(await publicCount()).toBe(1));
  });

  it('shows an institution the complaints about it, takes its answer, and flags a complaint past its handling deadline', async () => {
    const fresh = await world.school();
    const parent = await world.parent();
    const filed = await http()
      .post('/api/v1/complaints')
      .set(as(parent))
      .send({ institutionId: fresh.institutionId, category: 'other', description: '课后服务混乱' })
      .expect(201);
    const calendar = await platform.api.get(ReferenceDataService).workingDayCalendar();
    expect(filed.body).toMatchObject({ dueOn: calendar.addWorkingDays(platform.clock.today(), 10), overdue: false, answer: null });

    const seen = await http().get('/api/v1/complaints?pageSize=100').set(as(world.owner)).expect(200);
    expect(seen.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: filed.body.id, institutionId: fresh.institutionId })]));
    const answered = await http().post(`/api/v1/complaints/${filed.body.id}/answer`).set(as(world.owner)).send({ reply: '已调整课后服务安排' }).expect(200);
    expect(answered.body).toMatchObject({ answer: '已调整课后服务安排', answeredAt: expect.any(String), status: 'open' });
    expect((await http().get('/api/v1/complaints').set(as(parent)).expect(200)).body.items[0]).toMatchObject({ answer: '已调整课后服务安排' });

    // Another owner does not learn the complaint exists; a parent may not answer; unknown fields are refused.
    await http()
      .post('/api/v1/auth/institution-accounts')
      .send({ username: 'other-owner', password: 'password-1', contactName: '陈', phone: '13874100002' })
      .expect(201);
    const stranger = (await http().post('/api/v1/auth/login').send({ username: 'other-owner', password: 'password-1' }).expect(200)).body.accessToken;
    expect((await http().get('/api/v1/complaints').set(as(stranger)).expect(200)).body.total).toBe(0);
    const hidden = await http().post(`/api/v1/complaints/${filed.body.id}/answer`).set(as(stranger)).send({ reply: 'x' }).expect(404);
    expect(hidden.body.code).toBe('COMPLAINT.NOT_FOUND');
    await http().post(`/api/v1/complaints/${filed.body.id}/answer`).set(as(parent)).send({ reply: 'x' }).expect(403);
    await http().post(`/api/v1/complaints/${filed.body.id}/answer`).set(as(world.owner)).send({ reply: 'x', extra: 1 }).expect(400);

    platform.clock.travelTo(addDays(filed.body.dueOn, 1));
    const late = (await http().get('/api/v1/complaints?pageSize=100').set(as(world.regulator)).expect(200)).body.items.find(
      (item: { id: string }) => item.id === filed.body.id,
    );
    expect(late).toMatchObject({ overdue: true });

    await http().post(`/api/v1/complaints/${filed.body.id}/transition`).set(as(world.regulator)).send({ to: 'in_progress', reply: '受理' }).expect(200);
    await http().post(`/api/v1/complaints/${filed.body.id}/transition`).set(as(world.regulator)).send({ to: 'dismissed', reply: '不成立' }).expect(200);
    const closed = await http().post(`/api/v1/complaints/${filed.body.id}/answer`).set(as(world.owner)).send({ reply: '补充' }).expect(409);
    expect(closed.body.code).toBe('COMPLAINT.CLOSED');
    const handled = (await http().get('/api/v1/complaints?status=dismissed').set(as(world.regulator)).expect(200)).body.items[0];
    expect(handled).toMatchObject({ id: filed.body.id, overdue: false });
  });

  it('takes at most 5 complaints a day from one parent, then 429 with Retry-After until the next day', async () => {
    const parent = await world.parent();
    const file = (n: number) =>
      http()
        .post('/api/v1/complaints')
        .set(as(parent))
        .send({ institutionName: `某无证机构${n}`, districtCode: '430104', category: 'unlicensed', description: '无证办学' });
    for (let n = 1; n <= 5; n++) await file(n).expect(201);
    const refused = await file(6).expect(429);
    expect(refused.body.code).toBe('COMPLAINT.DAILY_LIMIT');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(24 * 3600);
    expect(shanghaiMidnight(addDays(platform.clock.today(), 1)).getTime() - platform.clock.now().getTime()).toBeLessThanOrEqual(retryAfter * 1000);
    // Another parent is not held back.
    await http()
      .post('/api/v1/complaints')
      .set(as(await world.parent()))
      .send({ institutionName: '某无证机构7', districtCode: '430104', category: 'unlicensed', description: '无证办学' })
      .expect(201);
    platform.clock.advance(retryAfter * 1000);
    await file(6).expect(201);
  });

  it('turns a rejected refund into a complaint for the regulators', async () => {
    const parent = await world.parent();
    // A school of its own: the one above is grey by now, and takes no new contracts.
    const contract = await world.paidContract(parent, await world.school(), 2);
    const request = await http()
      .post(`/api/v1/contracts/${contract}/refund-requests`)
      .set(as(parent))
      .set('Idempotency-Key', `refund-${contract}`)
      .send({ reason: '搬家' })
      .expect(201);
    await http().post(`/api/v1/refund-requests/${request.body.id}/reject`).set(as(world.owner)).send({ reason: '不退' }).expect(200);
    await eventually(async () => {
      const complaints = await http().get('/api/v1/complaints?status=open').set(as(world.regulator)).expect(200);
      expect(complaints.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ refundRequestId: request.body.id, category: 'refund_refused' })]),
      );
    });
  });

  it('scopes risk, alerts and complaints to the regulator’s district', async () => {
    await http()
      .post('/api/v1/regulators')
      .set(as(world.admin))
      .send({ username: 'furong-reg', password: 'password-1', name: '芙蓉', districtCode: '430102' })
      .expect(201);
    const furong = (await http().post('/api/v1/auth/login').send({ username: 'furong-reg', password: 'password-1' }).expect(200)).body.accessToken;
    expect((await http().get('/api/v1/risk/institutions').set(as(furong)).expect(200)).body.total).toBe(0);
    expect((await http().get('/api/v1/risk/alerts').set(as(furong)).expect(200)).body.total).toBe(0);
    expect((await http().get('/api/v1/complaints').set(as(furong)).expect(200)).body.total).toBe(0);
    await http().get('/api/v1/risk/alerts').set(as(world.owner)).expect(403);
  });

  it('ages complaints out of the 30-day rule as time passes, while the public 12-month count keeps them', async () => {
    const fresh = await world.school();
    const parent = await world.parent();
    const contractId = await world.paidContract(parent, fresh, 2);
    await world.recordLesson(fresh, [contractId]).expect(201);
    const publicViewOf = () =>
      http()
        .get(`/api/v1/public/institutions/${fresh.institutionId}`)
        .expect(200)
        .then((response) => response.body);
    for (const description of ['课程缩水', '老师频繁更换']) {
      await http()
        .post('/api/v1/complaints')
        .set(as(parent))
        .send({ institutionId: fresh.institutionId, contractId, category: 'other', description })
        .expect(201);
    }
    const openFlags = async () => {
      const risk = await http().get('/api/v1/risk/institutions').set(as(world.regulator)).expect(200);
      const found = risk.body.items.find((item: { id: string }) => item.id === fresh.institutionId);
      return found.flags.map((flag: { ruleCode: string }) => flag.ruleCode);
    };
    await eventually(async () => expect(await openFlags()).toEqual(['COMPLAINTS_30D']));

    platform.clock.advanceDays(31);
    await platform.api.get(RiskService).evaluate([fresh.institutionId]);
    expect(await openFlags()).toEqual([]);
    expect(await publicViewOf()).toMatchObject({ riskLevel: 'green', complaintsLast12Months: 2 });
  });

  it('counts a stall of lessons from the contract’s start: paid without a lesson yet is not stalled, past the threshold it is', async () => {
    const fresh = await world.school();
    // The fixture's contract started 14 days ago (test/support/dates.ts); this district's threshold is 60 days.
    await world.paidContract(await world.parent(), fresh, 2);
    const flagsOf = async () => {
      await platform.api.get(RiskService).evaluate([fresh.institutionId]);
      const risk = await http().get('/api/v1/risk/institutions').set(as(world.regulator)).expect(200);
      return risk.body.items.find((item: { id: string }) => item.id === fresh.institutionId).flags.map((flag: { ruleCode: string }) => flag.ruleCode);
    };
    expect(await flagsOf()).not.toContain('STALLED_CONSUMPTION');
    platform.clock.advanceDays(46);
    expect(await flagsOf()).not.toContain('STALLED_CONSUMPTION');
    platform.clock.advanceDays(1);
    expect(await flagsOf()).toContain('STALLED_CONSUMPTION');
  });
});

describe('bank reconciliation (e2e)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
  });
  afterAll(() => platform?.close());

  it('confirms a payment order from the statement line carrying its reference, and raises one alert for a line nothing explains', async () => {
    const http = () => platform.http();
    const school = await world.school();
    const parent = await world.parent();
    const created = await http()
      .post('/api/v1/contracts')
      .set(as(parent))
      .send({ courseId: school.courseId, studentName: '王', lessons: 2, ...contractWindow(platform.clock) })
      .expect(201);
    const order = await http()
      .post(`/api/v1/contracts/${created.body.id}/payments`)
      .set(as(parent))
      .set('Idempotency-Key', 'recon-pay-1')
      .send({ amountFen: 20_000, channel: 'bank_transfer' })
      .expect(201);
    const bankKey = world.bankKey;

    const lines = {
      lines: [
        { date: platform.clock.today(), amountFen: 20_000, direction: 'in', reference: order.body.reference },
        { date: platform.clock.today(), amountFen: 777, direction: 'in', reference: 'MYSTERY' },
      ],
    };
    expect((await http().post('/api/v1/bank/statement-lines').set('X-Api-Key', bankKey).send(lines).expect(200)).body).toMatchObject({
      accepted: 2,
      duplicates: 0,
      confirmedOrders: 1,
    });
    expect((await http().get(`/api/v1/contracts/${created.body.id}`).set(as(parent)).expect(200)).body).toMatchObject({
      paidFen: 20_000,
      escrowFen: 20_000,
      status: 'active',
    });
    expect((await http().post('/api/v1/bank/statement-lines').set('X-Api-Key', bankKey).send(lines).expect(200)).body).toMatchObject({
      accepted: 0,
      duplicates: 2,
      confirmedOrders: 0,
    });
    expect((await http().get(`/api/v1/contracts/${created.body.id}`).set(as(parent)).expect(200)).body).toMatchObject({ paidFen: 20_000, escrowFen: 20_000 });
    await http()
      .post('/api/v1/bank/statement-lines')
      .set('X-Api-Key', bankKey)
      .send({ lines: [{ date: 'yesterday', amountFen: -1, direction: 'sideways', reference: '' }] })
      .expect(400);

    const reconciliation = platform.api.get(ReconciliationService);
    expect(await reconciliation.reconcile()).toEqual({ matched: 1, alerts: 1 });
    expect(await reconciliation.reconcile()).toEqual({ matched: 0, alerts: 0 });
    const alerts = await http().get('/api/v1/risk/alerts?status=open').set(as(world.regulator)).expect(200);
    expect(alerts.body.items).toEqual([
      expect.objectContaining({
        kind: 'reconciliation',
        ruleCode: 'UNMATCHED_STATEMENT_LINE',
        evidence: expect.objectContaining({ reference: 'MYSTERY', amountFen: 777 }),
      }),
    ]);
  });
});
