import { addDays } from '@app/core';
import { contractWindow } from '../support/dates';
import { ReductionService } from '@app/oversight';
import { DataSource } from 'typeorm';
import { createRegulator, newInstitution, openSubjectApprovals } from '../support/factories';
import { TestPlatform, startPlatform } from '../support/platform';
import { TuitionWorld, as, key } from '../support/tuition-world';

describe('reduction tracking (e2e)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let furong: string;
  let changsha: string;
  const http = () => platform.http();
  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => platform.api.get(DataSource).query(sql, params);
  const today = () => platform.clock.today();
  const YUELU = { districtCode: '430104', date: '2021-07-24', subjectOffline: 1000, subjectOnline: 234, students: 15_600 };
  const FURONG = { districtCode: '430102', date: '2021-09-01', subjectOffline: 100, subjectOnline: 6, students: 4_000 };

  const regulator = (username: string, districtCode: string): Promise<string> => createRegulator(platform, world.admin, username, districtCode);

  /** An institution of the world's owner taken to `status` by `by` (a regulator of its district). */
  async function institution(overrides: Record<string, unknown>, by: string, status: 'licensed' | 'suspended' | 'submitted' = 'licensed'): Promise<string> {
    const created = await http().post('/api/v1/institutions').set(as(world.owner)).send(newInstitution(overrides)).expect(201);
    const id = created.body.id;
    await http().post(`/api/v1/institutions/${id}/submit`).set(as(world.owner)).expect(200);
    if (status === 'submitted') return id;
    await http().post(`/api/v1/institutions/${id}/review`).set(as(by)).send({ decision: 'approve', reason: 'ok' }).expect(200);
    if (status === 'suspended') await http().post(`/api/v1/institutions/${id}/suspend`).set(as(by)).send({ reason: '整改' }).expect(200);
    return id;
  }

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
    furong = await regulator('furong-reg', '430102');
    await openSubjectApprovals(platform, furong, '430102');
    changsha = await regulator('changsha-reg', '430100');

    // Yuelu: subject institutions holding a valid licence: 3 offline (two world.school, one suspended — a
    // suspended institution is not out of business), 1 online; not counted: one still under review, a
    // non-subject one.
    const art = await world.school(10_000); // non-subject, offline
    const pupils = await world.school(8_000, 'subject');
    await world.school(8_000, 'subject');
    await institution({ category: 'subject', delivery: 'online' }, world.regulator);
    await institution({ category: 'subject', delivery: 'offline' }, world.regulator, 'suspended');
    await institution({ category: 'subject', delivery: 'online' }, world.regulator, 'submitted');
    // Pupils with an active subject contract: one parent's child with two contracts counts once; an unpaid
    // contract, a refunded one and one for a non-subject course do not count.
    const [first, second, third, fourth] = [await world.parent(), await world.parent(), await world.parent(), await world.parent()];
    await world.paidContract(first, pupils, 3);
    await world.paidContract(first, pupils, 2);
    await world.paidContract(second, pupils, 2);
    await world.paidContract(fourth, art, 2);
    await http()
      .post('/api/v1/contracts')
      .set(as(third))
      .send({ courseId: pupils.courseId, studentName: '张三', lessons: 2, ...contractWindow(platform.clock) })
      .expect(201);
    const refunded = await world.paidContract(third, pupils, 2);
    const request = await http().post(`/api/v1/contracts/${refunded}/refund-requests`).set(as(third)).set(key()).send({ reason: '不学了' }).expect(201);
    await http().post(`/api/v1/refund-requests/${request.body.id}/accept`).set(as(world.owner)).set(key()).send({}).expect(200);
    // Furong: one subject institution offline.
    await institution({ districtCode: '430102', category: 'subject', delivery: 'offline' }, furong);
  });
  afterAll(() => platform?.close());

  describe('baselines', () => {
    it('lets a regulator set its district’s baseline and a city regulator any of its districts’, audited', async () => {
      const saved = await http().put('/api/v1/reduction/baseline').set(as(world.regulator)).send(YUELU).expect(200);
      expect(saved.body).toMatchObject({ ...YUELU, subjectInstitutions: 1234 });
      await http().put('/api/v1/reduction/baseline').set(as(world.regulator)).send(FURONG).expect(404);
      await http().put('/api/v1/reduction/baseline').set(as(furong)).send(YUELU).expect(404);
      await http().put('/api/v1/reduction/baseline').set(as(changsha)).send(FURONG).expect(200);
      await http().put('/api/v1/reduction/baseline').set(as(world.owner)).send(YUELU).expect(403);
      await http().put('/api/v1/reduction/baseline').send(YUELU).expect(401);

      const city = await http()
        .put('/api/v1/reduction/baseline')
        .set(as(changsha))
        .send({ ...YUELU, districtCode: '430100' })
        .expect(422);
      expect(city.body.code).toBe('REDUCTION.CITY_BASELINE');
      const future = await http()
        .put('/api/v1/reduction/baseline')
        .set(as(world.regulator))
        .send({ ...YUELU, date: addDays(today(), 2) })
        .expect(422);
      expect(future.body.code).toBe('REDUCTION.FUTURE_BASELINE');
      await http()
        .put('/api/v1/reduction/baseline')
        .set(as(world.regulator))
        .send({ ...YUELU, date: '2021-02-30' })
        .expect(400);
      await http()
        .put('/api/v1/reduction/baseline')
        .set(as(world.regulator))
        .send({ ...YUELU, students: -1 })
        .expect(400);
      await http()
        .put('/api/v1/reduction/baseline')
        .set(as(world.regulator))
        .send({ ...YUELU, districtCode: '999999' })
        .expect(404);

      const audit = await http().get('/api/v1/audit?targetId=430102').set(as(changsha)).expect(200);
      // The fixture's opening of subject approvals (a policy.updated) is audited too; this test is about the baseline.
      const baselines = audit.body.items.filter((item: { action: string }) => item.action !== 'policy.updated');
      expect(baselines).toEqual([expect.objectContaining({ action: 'reduction.baseline_set', actorRole: 'regulator', districtCode: '430102' })]);
    });
  });

  describe('daily snapshots', () => {
    it('counts licensed subject institutions (suspended too) and pupils with an active subject contract per district, once per date', async () => {
      const reduction = platform.api.get(ReductionService);
      const yesterday = addDays(today(), -1);
      const served = await query<{ n: number }>(`SELECT count(*)::int AS n FROM districts WHERE city_code IS NOT NULL`);
      expect(await reduction.takeSnapshots(yesterday)).toEqual({ date: yesterday, districts: served[0].n });
      await reduction.takeSnapshots(today());
      await reduction.takeSnapshots(today());
      const rows = await query(
        `SELECT district_code AS "districtCode", date, subject_offline AS "subjectOffline", subject_online AS "subjectOnline", students FROM reduction_snapshots WHERE district_code IN ('430104', '430102') ORDER BY district_code, date`,
      );
      expect(rows).toEqual([
        { districtCode: '430102', date: yesterday, subjectOffline: 1, subjectOnline: 0, students: 0 },
        { districtCode: '430102', date: today(), subjectOffline: 1, subjectOnline: 0, students: 0 },
        { districtCode: '430104', date: yesterday, subjectOffline: 3, subjectOnline: 1, students: 2 },
        { districtCode: '430104', date: today(), subjectOffline: 3, subjectOnline: 1, students: 2 },
      ]);
    });
  });

  describe('series and rates', () => {
    it('answers a district’s baseline, snapshots and rates to regulators in scope', async () => {
      const answer = await http()
        .get(`/api/v1/reduction?districtCode=430104&from=${addDays(today(), -1)}&to=${today()}`)
        .set(as(world.regulator))
        .expect(200);
      expect(answer.body).toMatchObject({
        districtCode: '430104',
        level: 'district',
        districts: ['430104'],
        baseline: { date: '2021-07-24', subjectOffline: 1000, subjectOnline: 234, subjectInstitutions: 1234, students: 15_600 },
        latest: { date: today(), subjectOffline: 3, subjectOnline: 1, subjectInstitutions: 4, students: 2 },
        snapshots: [
          { date: addDays(today(), -1), subjectInstitutions: 4, students: 2, districts: 1 },
          { date: today(), subjectInstitutions: 4, students: 2, districts: 1 },
        ],
      });
      expect(answer.body.rates.subjectInstitutions).toEqual({
        label: 'subject institutions',
        baseline: 1234,
        current: 4,
        rate: -0.9968,
        display: '1,234 → 4 (−99.7%)',
      });
      expect(answer.body.rates.students).toMatchObject({ baseline: 15_600, current: 2, rate: -0.9999, display: '15,600 → 2 (−100.0%)' });

      const byDefault = await http().get('/api/v1/reduction').set(as(world.regulator)).expect(200);
      expect(byDefault.body).toMatchObject({ districtCode: '430104', to: today(), from: addDays(today(), -89) });
      expect(byDefault.body.snapshots).toHaveLength(2);
      const onlyYesterday = await http()
        .get(`/api/v1/reduction?to=${addDays(today(), -1)}`)
        .set(as(world.regulator))
        .expect(200);
      expect(onlyYesterday.body.latest.date).toBe(addDays(today(), -1));

      await http().get('/api/v1/reduction?districtCode=430104').set(as(furong)).expect(404);
      await http().get('/api/v1/reduction?districtCode=430100').set(as(world.regulator)).expect(404);
      await http().get('/api/v1/reduction?districtCode=430104').set(as(world.owner)).expect(403);
      await http().get('/api/v1/reduction?districtCode=430104').expect(401);
      const backwards = await http()
        .get(`/api/v1/reduction?from=${today()}&to=${addDays(today(), -1)}`)
        .set(as(world.regulator))
        .expect(422);
      expect(backwards.body.code).toBe('REDUCTION.RANGE');
      await http()
        .get(`/api/v1/reduction?from=${addDays(today(), -400)}`)
        .set(as(world.regulator))
        .expect(422);
      await http().get('/api/v1/reduction?from=2026-02-30').set(as(world.regulator)).expect(400);
    });

    it('sums a city over its served districts, with rates over the districts that have a baseline', async () => {
      const answer = await http().get('/api/v1/reduction?districtCode=430100').set(as(changsha)).expect(200);
      expect(answer.body).toMatchObject({
        districtCode: '430100',
        level: 'city',
        districts: ['430102', '430103', '430104', '430105', '430111'],
        baseline: {
          date: '2021-07-24',
          subjectOffline: 1100,
          subjectOnline: 240,
          subjectInstitutions: 1340,
          students: 19_600,
          districts: ['430102', '430104'],
        },
        latest: { date: today(), subjectOffline: 4, subjectOnline: 1, subjectInstitutions: 5, students: 2, districts: 5 },
      });
      expect(answer.body.snapshots.map((s: { districts: number }) => s.districts)).toEqual([5, 5]);
      expect(answer.body.rates).toMatchObject({
        districts: ['430102', '430104'],
        subjectInstitutions: { baseline: 1340, current: 5, display: '1,340 → 5 (−99.6%)' },
      });
      const asAdmin = await http().get('/api/v1/reduction?districtCode=430100').set(as(world.admin)).expect(200);
      expect(asAdmin.body.baseline.subjectInstitutions).toBe(1340);
    });
  });

  describe('public statistics', () => {
    it('shows the baseline, the latest snapshot and the rates without a login', async () => {
      const yuelu = await http().get('/api/v1/public/stats/reduction?districtCode=430104').expect(200);
      expect(yuelu.body).toMatchObject({
        districtCode: '430104',
        name: '岳麓区',
        baseline: { subjectInstitutions: 1234 },
        latest: { date: today(), subjectInstitutions: 4 },
      });
      expect(yuelu.body.rates.subjectInstitutions.display).toBe('1,234 → 4 (−99.7%)');
      expect(yuelu.body.snapshots).toBeUndefined();

      const city = await http().get('/api/v1/public/stats/reduction?districtCode=430100').expect(200);
      expect(city.body).toMatchObject({ level: 'city', latest: { subjectInstitutions: 5 }, rates: { subjectInstitutions: { current: 5 } } });
      const noBaseline = await http().get('/api/v1/public/stats/reduction?districtCode=430103').expect(200);
      expect(noBaseline.body).toMatchObject({ baseline: null, rates: null, latest: { subjectInstitutions: 0 } });

      const unknown = await http().get('/api/v1/public/stats/reduction?districtCode=999999').expect(404);
      expect(unknown.body.code).toBe('REFERENCE.UNKNOWN_DISTRICT');
      await http().get('/api/v1/public/stats/reduction?districtCode=110101').expect(404); // real, but not served
      await http().get('/api/v1/public/stats/reduction').expect(400);
    });

    it('has Yuelu’s demo baseline from the published figures, loaded once', async () => {
      const reduction = platform.api.get(ReductionService);
      await query(`DELETE FROM reduction_baselines WHERE district_code = '430104'`);
      await reduction.loadDemoBaseline();
      await reduction.loadDemoBaseline();
      const [baseline] = await query(
        `SELECT date, subject_offline AS "subjectOffline", subject_online AS "subjectOnline", students FROM reduction_baselines WHERE district_code = '430104'`,
      );
      // 3 offline and 1 online hold a licence now: the baseline that makes them Yuelu's published −85%.
      expect(baseline).toEqual({ date: '2021-07-24', subjectOffline: 20, subjectOnline: 7, students: 15_600 });
    });
  });

  describe('a hand-worked district', () => {
    /** Today's snapshot of one district, written as given: thousands of pupils are not made through the API. */
    const snapshot = (districtCode: string, subjectOffline: number, subjectOnline: number, students: number) =>
      query(
        `INSERT INTO reduction_snapshots (district_code, date, subject_offline, subject_online, students) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (district_code, date) DO UPDATE SET subject_offline = EXCLUDED.subject_offline, subject_online = EXCLUDED.subject_online, students = EXCLUDED.students`,
        [districtCode, today(), subjectOffline, subjectOnline, students],
      );

    it('gives 13 → 2 institutions as −84.6% and 15,600 → 6,400 pupils as −59.0%, no rate from a zero baseline, and a city as the sum of its districts', async () => {
      const baseline = { districtCode: '430111', date: '2021-07-24', subjectOffline: 13, subjectOnline: 0, students: 15_600 };
      await http().put('/api/v1/reduction/baseline').set(as(changsha)).send(baseline).expect(200);
      await snapshot('430111', 1, 1, 6_400);
      const district = await http().get('/api/v1/reduction?districtCode=430111').set(as(changsha)).expect(200);
      // (2 − 13) / 13 = −0.846153… and (6,400 − 15,600) / 15,600 = −0.589743…, to 4 decimals half away from zero.
      expect(district.body.rates.subjectInstitutions).toMatchObject({ baseline: 13, current: 2, rate: -0.8462, display: '13 → 2 (−84.6%)' });
      expect(district.body.rates.students).toMatchObject({ baseline: 15_600, current: 6_400, rate: -0.5897, display: '15,600 → 6,400 (−59.0%)' });
      // From nothing online to one: growth from zero has no percentage.
      expect(district.body.rates.subjectOnline).toMatchObject({ baseline: 0, current: 1, rate: null, display: '0 → 1' });

      const city = await http().get('/api/v1/reduction?districtCode=430100').set(as(changsha)).expect(200);
      const districts = await Promise.all(
        city.body.districts.map(async (code: string) => (await http().get(`/api/v1/reduction?districtCode=${code}`).set(as(changsha)).expect(200)).body),
      );
      for (const series of ['subjectOffline', 'subjectOnline', 'subjectInstitutions', 'students'])
        expect(city.body.latest[series]).toBe(districts.reduce((total, answer) => total + answer.latest[series], 0));
      const withBaseline = districts.filter((answer) => answer.baseline);
      expect(city.body.baseline.subjectInstitutions).toBe(withBaseline.reduce((total, answer) => total + answer.baseline.subjectInstitutions, 0));
      expect(city.body.rates.students.current).toBe(withBaseline.reduce((total, answer) => total + answer.latest.students, 0));
    });
  });
});
