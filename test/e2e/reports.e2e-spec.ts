import { Clock } from '@app/core';
import { ReportsService, addMonths } from '@app/oversight';
import { DataSource } from 'typeorm';
import { createRegulator, newInstitution, signUpInstitution } from '../support/factories';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld, as, key } from '../support/tuition-world';

describe('monthly reports (e2e)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let school: School;
  let furongRegulator: string;
  let changshaRegulator: string;
  const http = () => platform.http();
  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => platform.api.get(DataSource).query(sql, params);
  // The platform's business month (Asia/Shanghai); the tests never depend on which month it is.
  const thisMonth = () => platform.clock.today().slice(0, 7);
  const figures = { students: 12, newContracts: 3, lessonsDelivered: 40, prepaidCollectedFen: 300_000, refundsFen: 0, teachers: 2, fullTimeTeachers: 1 };

  /** Runs `work` with the platform's clock at noon (Shanghai) of `date`. */
  async function at<T>(date: string, work: () => Promise<T>): Promise<T> {
    const spy = jest.spyOn(platform.api.get(Clock), 'now').mockReturnValue(new Date(`${date}T12:00:00+08:00`));
    try {
      return await work();
    } finally {
      spy.mockRestore();
    }
  }

  /** A licensed institution of another owner, approved by `regulator`. */
  async function licensedInstitution(owner: string, regulator: string, districtCode = '430104'): Promise<string> {
    const created = await http()
      .post('/api/v1/institutions')
      .set(as(owner))
      .send(newInstitution({ districtCode, category: 'non_subject' }))
      .expect(201);
    await http().post(`/api/v1/institutions/${created.body.id}/submit`).set(as(owner)).expect(200);
    await http().post(`/api/v1/institutions/${created.body.id}/review`).set(as(regulator)).send({ decision: 'approve', reason: 'ok' }).expect(200);
    return created.body.id;
  }

  const account = (role: 'regulator' | 'institution', username: string, districtCode?: string): Promise<string> =>
    role === 'regulator'
      ? createRegulator(platform, world.admin, username, districtCode!)
      : signUpInstitution(platform, username, { contactName: '刘', phone: '13874100009' });

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
    school = await world.school(10_000);
    await world.school(12_000); // the owner holds two licensed institutions
    furongRegulator = await account('regulator', 'furong-reg', '430102');
    changshaRegulator = await account('regulator', 'changsha-reg', '430100');
  });
  afterAll(() => platform?.close());

  describe('filing', () => {
    it('files a report, replaces it while it is not accepted, and refuses to replace an accepted one', async () => {
      const month = thisMonth();
      const first = await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ month, institutionId: school.institutionId, ...figures })
        .expect(201);
      expect(first.body).toMatchObject({
        institutionId: school.institutionId,
        districtCode: '430104',
        month,
        status: 'filed',
        late: false,
        ...figures,
        discrepancies: expect.any(Array),
      });

      const second = await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ month, institutionId: school.institutionId, ...figures, students: 13 })
        .expect(201);
      expect(second.body).toMatchObject({ id: first.body.id, status: 'filed', students: 13 });
      const mine = await http().get(`/api/v1/reports?month=${month}&institutionId=${school.institutionId}`).set(as(world.owner)).expect(200);
      expect(mine.body).toMatchObject({ total: 1, page: 1, pageSize: 20, items: [{ id: first.body.id, students: 13 }] });

      const accepted = await http().post(`/api/v1/reports/${first.body.id}/review`).set(as(world.regulator)).send({ decision: 'accept' }).expect(200);
      expect(accepted.body).toMatchObject({ status: 'accepted', reviewNote: null, reviewedAt: expect.any(String) });
      const final = await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ month, institutionId: school.institutionId, ...figures })
        .expect(409);
      expect(final.body).toMatchObject({ code: 'REPORT.ALREADY_ACCEPTED', reportId: first.body.id });
      const again = await http()
        .post(`/api/v1/reports/${first.body.id}/review`)
        .set(as(world.regulator))
        .send({ decision: 'return', note: '再看看' })
        .expect(409);
      expect(again.body).toMatchObject({ code: 'REPORT.INVALID_STATE', currentStatus: 'accepted' });

      const audit = await http().get(`/api/v1/audit?targetId=${first.body.id}`).set(as(world.regulator)).expect(200);
      expect(audit.body.items.map((entry: { action: string }) => entry.action).sort()).toEqual(['report.accepted', 'report.filed', 'report.filed']);
      const events = await query(`SELECT type FROM outbox WHERE payload->>'reportId' = $1 ORDER BY created_at`, [first.body.id]);
      expect(events.map((event) => event.type)).toEqual(['report.filed', 'report.filed', 'report.reviewed']);
    });

    it('refuses a future month, a malformed one and inconsistent figures', async () => {
      const base = { institutionId: school.institutionId, ...figures };
      const future = await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ ...base, month: addMonths(thisMonth(), 1) })
        .expect(422);
      expect(future.body.code).toBe('REPORT.FUTURE_MONTH');
      await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ ...base, month: '2026-13' })
        .expect(400);
      await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ ...base, month: '2026-10', students: -1 })
        .expect(400);
      await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ ...base, month: '2026-10', surprise: 1 })
        .expect(400);
      const inconsistent = await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ ...base, month: '2026-10', teachers: 1, fullTimeTeachers: 2 })
        .expect(422);
      expect(inconsistent.body.code).toBe('REPORT.INCONSISTENT_FIGURES');
    });

    it('needs institutionId from an owner of several licensed institutions, and not from an owner of one', async () => {
      const month = thisMonth();
      const several = await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ month, ...figures })
        .expect(422);
      expect(several.body).toMatchObject({
        code: 'REPORT.INSTITUTION_REQUIRED',
        institutions: expect.arrayContaining([expect.objectContaining({ id: school.institutionId })]),
      });

      const solo = await account('institution', 'solo-owner');
      const none = await http()
        .post('/api/v1/reports')
        .set(as(solo))
        .send({ month, ...figures })
        .expect(422);
      expect(none.body.code).toBe('REPORT.NO_LICENSED_INSTITUTION');
      const soloId = await licensedInstitution(solo, world.regulator);
      const filed = await http()
        .post('/api/v1/reports')
        .set(as(solo))
        .send({ month, ...figures })
        .expect(201);
      expect(filed.body.institutionId).toBe(soloId);
      // Somebody else's institution does not exist for this owner.
      await http()
        .post('/api/v1/reports')
        .set(as(solo))
        .send({ month, institutionId: school.institutionId, ...figures })
        .expect(404);
      await http().get(`/api/v1/reports/${filed.body.id}`).set(as(world.owner)).expect(404);
    });
  });

  describe('review', () => {
    it('lets only regulators whose scope holds the district review, and a returned report be filed again', async () => {
      const month = addMonths(thisMonth(), -1);
      const filed = await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ month, institutionId: school.institutionId, ...figures })
        .expect(201);
      const id = filed.body.id;

      await http().post(`/api/v1/reports/${id}/review`).set(as(furongRegulator)).send({ decision: 'accept' }).expect(404);
      await http().get(`/api/v1/reports/${id}`).set(as(furongRegulator)).expect(404);
      const furongList = await http().get(`/api/v1/reports?month=${month}`).set(as(furongRegulator)).expect(200);
      expect(furongList.body).toMatchObject({ total: 0, items: [] });
      await http().post(`/api/v1/reports/${id}/review`).set(as(world.owner)).send({ decision: 'accept' }).expect(403);
      await http().post(`/api/v1/reports/not-a-uuid/review`).set(as(world.regulator)).send({ decision: 'accept' }).expect(404);
      await http().post(`/api/v1/reports/${id}/review`).set(as(changshaRegulator)).send({ decision: 'return' }).expect(400); // returning needs a note
      await http().post(`/api/v1/reports/${id}/review`).set(as(changshaRegulator)).send({ decision: 'maybe', note: 'x' }).expect(400);

      const cityList = await http().get(`/api/v1/reports?month=${month}`).set(as(changshaRegulator)).expect(200);
      expect(cityList.body.items.map((item: { id: string }) => item.id)).toContain(id);
      const returned = await http()
        .post(`/api/v1/reports/${id}/review`)
        .set(as(changshaRegulator))
        .send({ decision: 'return', note: '学员数与合同不符' })
        .expect(200);
      expect(returned.body).toMatchObject({ status: 'returned', reviewNote: '学员数与合同不符' });
      const audit = await query(
        `SELECT action, reason, actor_role AS "actorRole", district_code AS "districtCode" FROM audit_log WHERE target_id = $1 AND action = 'report.returned'`,
        [id],
      );
      expect(audit).toEqual([{ action: 'report.returned', reason: '学员数与合同不符', actorRole: 'regulator', districtCode: '430104' }]);

      const refiled = await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ month, institutionId: school.institutionId, ...figures, students: 11 })
        .expect(201);
      expect(refiled.body).toMatchObject({ id, status: 'filed', students: 11, reviewNote: null });
      await http().post(`/api/v1/reports/${id}/review`).set(as(world.regulator)).send({ decision: 'accept', note: '已核实' }).expect(200);
    });
  });

  describe('the overdue job', () => {
    it('marks a missing report overdue after the district’s due day, once, and a filing over it is late', async () => {
      const reports = platform.api.get(ReportsService);
      // A month after every institution of this test was licensed: they all owe its report.
      const owed = addMonths(thisMonth(), 1);
      const dueMonth = addMonths(thisMonth(), 2);
      const furongOwner = await account('institution', 'furong-owner');
      const furongSchool = await licensedInstitution(furongOwner, furongRegulator, '430102');
      await http().put('/api/v1/districts/430102/policy').set(as(furongRegulator)).send({ reportDueDay: 20 }).expect(200);

      const notYet = await reports.markOverdue(`${dueMonth}-10`);
      expect(notYet).toMatchObject({ month: owed, marked: [] });

      const first = await reports.markOverdue(`${dueMonth}-15`);
      const marked = first.marked.map((row) => row.institutionId);
      expect(marked).toEqual(expect.arrayContaining([school.institutionId]));
      expect(marked).not.toContain(furongSchool); // Furong's reports are due by the 20th
      expect((await reports.markOverdue(`${dueMonth}-15`)).marked).toEqual([]);

      const row = await query(`SELECT id, status, late, district_code AS "districtCode" FROM monthly_reports WHERE institution_id = $1 AND month = $2`, [
        school.institutionId,
        owed,
      ]);
      expect(row).toEqual([{ id: expect.any(String), status: 'overdue', late: false, districtCode: '430104' }]);
      const audit = await query(`SELECT actor_role AS "actorRole", actor_id AS "actorId" FROM audit_log WHERE target_id = $1 AND action = 'report.overdue'`, [
        row[0].id,
      ]);
      expect(audit).toEqual([{ actorRole: 'system', actorId: null }]);
      const events = await query(`SELECT payload FROM outbox WHERE type = 'report.overdue' AND payload->>'institutionId' = $1`, [school.institutionId]);
      expect(events).toEqual([{ payload: { institutionId: school.institutionId, reportId: row[0].id, month: owed } }]);

      const overdueList = await http().get(`/api/v1/reports?status=overdue&month=${owed}`).set(as(world.regulator)).expect(200);
      expect(overdueList.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ institutionId: school.institutionId, status: 'overdue', students: null, discrepancies: [] })]),
      );

      const furong = await reports.markOverdue(`${dueMonth}-21`);
      expect(furong.marked.map((r) => r.institutionId)).toEqual([furongSchool]);

      // The owner files at last: the row becomes a late filing, and the overdue flag's condition ends.
      const late = await at(`${dueMonth}-16`, () =>
        http()
          .post('/api/v1/reports')
          .set(as(world.owner))
          .send({ month: owed, institutionId: school.institutionId, ...figures })
          .expect(201),
      );
      expect(late.body).toMatchObject({ id: row[0].id, status: 'filed', late: true });
      const stillOverdue = await query(`SELECT count(*)::int AS n FROM monthly_reports WHERE institution_id = $1 AND status = 'overdue'`, [
        school.institutionId,
      ]);
      expect(stillOverdue).toEqual([{ n: 0 }]);
    });

    it('marks nothing for a month that ended before the institution was licensed, and counts a filing after the due day as late', async () => {
      const reports = platform.api.get(ReportsService);
      const result = await reports.markOverdue(platform.clock.today());
      expect(result.month).toBe(addMonths(thisMonth(), -1));
      expect(result.marked.map((row) => row.institutionId)).not.toContain(school.institutionId);

      const month = addMonths(thisMonth(), 3);
      const late = await at(`${addMonths(month, 1)}-11`, () =>
        http()
          .post('/api/v1/reports')
          .set(as(world.owner))
          .send({ month, institutionId: school.institutionId, ...figures })
          .expect(201),
      );
      expect(late.body).toMatchObject({ status: 'filed', late: true });
      const onTime = await at(`${addMonths(month, 1)}-10`, () =>
        http()
          .post('/api/v1/reports')
          .set(as(world.owner))
          .send({ month: addMonths(month, 1), institutionId: school.institutionId, ...figures })
          .expect(201),
      );
      expect(onTime.body.late).toBe(false);
    });
  });

  describe('pre-filled figures and discrepancies', () => {
    it('computes the month from the ledger and the registry and lists every filed figure that differs', async () => {
      // Everything happens on the 15th of next month, and a second lesson on the 2nd of the month after
      // (last in this file: time only moves forward for the tests after it).
      const month = addMonths(thisMonth(), 1);
      platform.clock.travelTo(`${month}-15`);
      const fresh = await world.school(10_000);
      await http()
        .post(`/api/v1/institutions/${fresh.institutionId}/teachers`)
        .set(as(world.owner))
        .send({ name: '兼职王老师', fullTime: false, subjects: ['美术'] })
        .expect(201);
      const [first, second] = [await world.parent(), await world.parent()];
      const kept = await world.paidContract(first, fresh, 5);
      const refunded = await world.paidContract(second, fresh, 3);
      await world.recordLesson(fresh, [kept], `${month}-15T10:00:00+08:00`).expect(201);
      const request = await http().post(`/api/v1/contracts/${refunded}/refund-requests`).set(as(second)).set(key()).send({ reason: '搬家' }).expect(201);
      await http().post(`/api/v1/refund-requests/${request.body.id}/accept`).set(as(world.owner)).set(key()).send({}).expect(200);
      platform.clock.travelTo(`${addMonths(month, 1)}-02`);
      await world.recordLesson(fresh, [kept], `${addMonths(month, 1)}-02T10:00:00+08:00`).expect(201); // next month: not this month's

      const computed = { students: 2, newContracts: 2, lessonsDelivered: 1, prepaidCollectedFen: 80_000, refundsFen: 30_000, teachers: 2, fullTimeTeachers: 1 };
      const prefill = await http().get(`/api/v1/reports/prefill?month=${month}&institutionId=${fresh.institutionId}`).set(as(world.owner)).expect(200);
      expect(prefill.body).toEqual({ institutionId: fresh.institutionId, institutionName: expect.any(String), month, ...computed });
      const lastMonth = await http()
        .get(`/api/v1/reports/prefill?month=${addMonths(month, -1)}&institutionId=${fresh.institutionId}`)
        .set(as(world.owner))
        .expect(200);
      expect(lastMonth.body).toMatchObject({ students: 0, newContracts: 0, lessonsDelivered: 0, prepaidCollectedFen: 0, refundsFen: 0, teachers: 2 });
      await http().get(`/api/v1/reports/prefill?month=${month}&institutionId=${fresh.institutionId}`).set(as(world.regulator)).expect(403);

      const filed = await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ month, institutionId: fresh.institutionId, ...computed, students: 1, refundsFen: 0 })
        .expect(201);
      const expected = [
        { field: 'students', filed: 1, computed: 2 },
        { field: 'refundsFen', filed: 0, computed: 30_000 },
      ];
      expect(filed.body.discrepancies).toEqual(expected);
      const listed = await http().get(`/api/v1/reports?month=${month}&status=filed&institutionId=${fresh.institutionId}`).set(as(world.regulator)).expect(200);
      expect(listed.body.items).toEqual([expect.objectContaining({ id: filed.body.id, discrepancies: expected })]);

      const corrected = await http()
        .post('/api/v1/reports')
        .set(as(world.owner))
        .send({ month, institutionId: fresh.institutionId, ...computed })
        .expect(201);
      expect(corrected.body.discrepancies).toEqual([]);
    });
  });
});
