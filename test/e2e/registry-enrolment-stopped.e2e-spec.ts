import { DataSource } from 'typeorm';
import { startPlatform, TestPlatform } from '../support/platform';
import { School, TuitionWorld, as } from '../support/tuition-world';

/**
 * What stopping enrolment means for money and lessons (docs/domain.md, "Licences"): no new contracts or
 * payment orders, lessons go on. The life cycle itself is in registry-licence-lifecycle.e2e-spec.ts.
 */
describe('enrolment stopped (停止招生), as tuition sees it (e2e)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;

  const post = (path: string, token: string, body: object = {}) => platform.http().post(path).set(as(token)).send(body);
  const publicEntry = async (id: string) => (await platform.http().get(`/api/v1/public/institutions/${id}`).expect(200)).body;

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
  });
  afterAll(() => platform?.close());

  describe('stopping enrolment (停止招生)', () => {
    let school: School;
    let parent: string;
    let contractId: string;

    beforeAll(async () => {
      school = await world.school();
      parent = await world.parent();
      contractId = await world.paidContract(parent, school);
    });

    it('is the regulator’s alone, and refused again once stopped, naming the state', async () => {
      const forbidden = await post(`/api/v1/institutions/${school.institutionId}/stop-enrolment`, world.owner, { reason: '自行停止' }).expect(403);
      expect(forbidden.body.code).toBe('AUTH.FORBIDDEN');
      const stopped = await post(`/api/v1/institutions/${school.institutionId}/stop-enrolment`, world.regulator, { reason: '超前收费' }).expect(200);
      expect(stopped.body.status).toBe('enrolment_stopped');
      const again = await post(`/api/v1/institutions/${school.institutionId}/stop-enrolment`, world.regulator, { reason: '再次' }).expect(409);
      expect(again.body).toMatchObject({ code: 'LICENCE.INVALID_TRANSITION', currentStatus: 'enrolment_stopped' });
      const audit = await platform.api
        .get(DataSource)
        .query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id DESC LIMIT 1`, [school.institutionId]);
      expect(audit).toEqual([{ action: 'institution.stop_enrolment' }]);
    });

    it('shows grey and at least yellow, refuses new contracts and payment orders, and lets lessons go on', async () => {
      expect(await publicEntry(school.institutionId)).toMatchObject({ list: 'grey', riskLevel: 'yellow', licence: { status: 'enrolment_stopped' } });
      const contract = await post('/api/v1/contracts', parent, {
        courseId: school.courseId,
        studentName: '李小红',
        lessons: 5,
        startDate: platform.clock.today(),
        endDate: platform.clock.daysFromToday(30),
      }).expect(422);
      expect(contract.body.code).toBe('INSTITUTION.NOT_ENROLLING');
      const order = await platform
        .http()
        .post(`/api/v1/contracts/${contractId}/payments`)
        .set(as(parent))
        .set({ 'Idempotency-Key': `k-${school.courseId}` })
        .send({ amountFen: 100, channel: 'bank_transfer' });
      expect(order.status).toBe(422);
      await world.recordLesson(school, [contractId]).expect(201);
    });
  });

  it('publishes a qualified teacher’s certificate number in the public register (docs/domain.md, “Courses and teachers”)', async () => {
    const school = await world.school();
    expect((await publicEntry(school.institutionId)).teachers).toEqual([expect.objectContaining({ qualified: true, qualificationNo: '20194300012345678' })]);
  });
});
