import { eventually } from '../support/eventually';
import { ADMIN, TestPlatform, loginAs, startPlatform } from '../support/platform';
import { createRegulator, newInstitution, newUscc, openSubjectApprovals, signUpInstitution } from '../support/factories';

describe('registry and licensing (e2e)', () => {
  let platform: TestPlatform;
  let admin: string;
  let owner: string;
  let otherOwner: string;
  let yuelu: string;
  let furong: string;
  let changsha: string;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const post = (path: string, token: string, body: object = {}) => platform.http().post(path).set(as(token)).send(body);

  const account = (kind: 'institution' | 'regulator', username: string, districtCode?: string): Promise<string> =>
    kind === 'institution' ? signUpInstitution(platform, username) : createRegulator(platform, admin, username, districtCode!);

  async function licensedInstitution(overrides: Record<string, unknown> = {}): Promise<string> {
    const created = await post('/api/v1/institutions', owner, newInstitution(overrides)).expect(201);
    await post(`/api/v1/institutions/${created.body.id}/submit`, owner).expect(200);
    await post(`/api/v1/institutions/${created.body.id}/review`, yuelu, { decision: 'approve', reason: '材料齐全' }).expect(200);
    return created.body.id;
  }

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await loginAs(platform, ADMIN.username, ADMIN.password);
    owner = await account('institution', 'xingchen');
    otherOwner = await account('institution', 'other-owner');
    yuelu = await account('regulator', 'yuelu', '430104');
    furong = await account('regulator', 'furong', '430102');
    changsha = await account('regulator', 'changsha', '430100');
    await openSubjectApprovals(platform, yuelu);
    await openSubjectApprovals(platform, furong, '430102');
  });
  afterAll(() => platform?.close());

  describe('applications', () => {
    it('creates a draft, refusing a bad credit code with a code that says so', async () => {
      const bad = newInstitution({ uscc: newUscc().slice(0, 17) + (newUscc().endsWith('0') ? '1' : '0') });
      const refused = await post('/api/v1/institutions', owner, { ...bad, uscc: '91350100M000100Y44' }).expect(422);
      expect(refused.body).toMatchObject({ code: 'INSTITUTION.INVALID_USCC', errors: [{ field: 'uscc' }] });
      const created = await post('/api/v1/institutions', owner, newInstitution()).expect(201);
      expect(created.body).toMatchObject({ status: 'draft', frozen: false });
    });

    it('refuses an unknown district and a duplicate credit code', async () => {
      await post('/api/v1/institutions', owner, newInstitution({ districtCode: '430199', uscc: newUscc('430199') })).expect(422);
      const draft = newInstitution();
      await post('/api/v1/institutions', owner, draft).expect(201);
      const again = await post('/api/v1/institutions', owner, { ...draft, name: '另一个' }).expect(409);
      expect(again.body.code).toBe('INSTITUTION.USCC_TAKEN');
    });

    it('lets the owner edit only while draft or returned', async () => {
      const created = await post('/api/v1/institutions', owner, newInstitution()).expect(201);
      await platform.http().patch(`/api/v1/institutions/${created.body.id}`).set(as(owner)).send({ capacity: 200 }).expect(200);
      await post(`/api/v1/institutions/${created.body.id}/submit`, owner).expect(200);
      const locked = await platform.http().patch(`/api/v1/institutions/${created.body.id}`).set(as(owner)).send({ capacity: 300 }).expect(409);
      expect(locked.body).toMatchObject({ code: 'LICENCE.NOT_EDITABLE', currentStatus: 'submitted' });
    });
  });

  describe('the licence life cycle', () => {
    it('walks draft → submitted → returned → submitted → licensed, recording who and why', async () => {
      const { body } = await post('/api/v1/institutions', owner, newInstitution()).expect(201);
      await post(`/api/v1/institutions/${body.id}/submit`, owner).expect(200);
      await post(`/api/v1/institutions/${body.id}/review`, yuelu, { decision: 'return', reason: '缺少消防验收' }).expect(200);
      await post(`/api/v1/institutions/${body.id}/submit`, owner).expect(200);
      const approved = await post(`/api/v1/institutions/${body.id}/review`, yuelu, { decision: 'approve', reason: '材料齐全', validYears: 2 }).expect(200);
      expect(approved.body).toMatchObject({ status: 'licensed', licenceNumber: expect.stringMatching(/^430104-\d{4}-\d{5}$/) });
      expect(approved.body.licenceValidUntil > approved.body.licenceValidFrom).toBe(true);

      const record = await platform.http().get(`/api/v1/institutions/${body.id}`).set(as(yuelu)).expect(200);
      expect(record.body.history.map((event: { action: string }) => event.action)).toEqual(['create', 'submit', 'return', 'submit', 'approve']);
      expect(record.body.history[2]).toMatchObject({ fromStatus: 'submitted', toStatus: 'returned', actorRole: 'regulator', reason: '缺少消防验收' });

      const audit = await platform.http().get(`/api/v1/audit?targetId=${body.id}`).set(as(yuelu)).expect(200);
      expect(audit.body.items.map((entry: { action: string }) => entry.action)).toEqual(expect.arrayContaining(['institution.approve', 'institution.return']));
    });

    it('issues unique licence numbers', async () => {
      const numbers = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const id = await licensedInstitution();
        const record = await platform.http().get(`/api/v1/institutions/${id}`).set(as(owner)).expect(200);
        numbers.add(record.body.licence.number);
      }
      expect(numbers.size).toBe(3);
    });

    it('suspends, reinstates, suspends again and revokes, with reasons', async () => {
      const id = await licensedInstitution();
      await post(`/api/v1/institutions/${id}/suspend`, yuelu, { reason: '消防隐患' }).expect(200);
      await post(`/api/v1/institutions/${id}/reinstate`, yuelu, { reason: '整改完成' }).expect(200);
      await post(`/api/v1/institutions/${id}/suspend`, yuelu, { reason: '再次违规' }).expect(200);
      const revoked = await post(`/api/v1/institutions/${id}/revoke`, yuelu, { reason: '屡次违规' }).expect(200);
      expect(revoked.body.status).toBe('revoked');
      const again = await post(`/api/v1/institutions/${id}/reinstate`, yuelu, { reason: '误操作' }).expect(409);
      expect(again.body).toMatchObject({ code: 'LICENCE.INVALID_TRANSITION', currentStatus: 'revoked' });
    });

    it('refuses every transition from a state it is not listed for, naming the current state', async () => {
      const { body } = await post('/api/v1/institutions', owner, newInstitution()).expect(201);
      for (const action of ['suspend', 'reinstate', 'stop-enrolment', 'resume-enrolment', 'revoke', 'freeze']) {
        const refused = await post(`/api/v1/institutions/${body.id}/${action}`, yuelu, { reason: 'x' }).expect(409);
        expect(refused.body).toMatchObject({ currentStatus: 'draft' });
      }
      const review = await post(`/api/v1/institutions/${body.id}/review`, yuelu, { decision: 'approve', reason: 'x' }).expect(409);
      expect(review.body).toMatchObject({ code: 'LICENCE.INVALID_TRANSITION', currentStatus: 'draft' });
      const licensed = await licensedInstitution();
      await post(`/api/v1/institutions/${licensed}/submit`, owner).expect(409);
      await post(`/api/v1/institutions/${licensed}/resume-enrolment`, yuelu, { reason: 'x' }).expect(409);
      await post(`/api/v1/institutions/${licensed}/renew`, yuelu, { reason: 'x' }).expect(409);
    });

    it('requires a reason for a regulator action', async () => {
      const id = await licensedInstitution();
      const response = await post(`/api/v1/institutions/${id}/suspend`, yuelu, {}).expect(400);
      expect(response.body.errors[0]).toMatchObject({ field: 'reason' });
    });

    it('freezes and unfreezes funds once each', async () => {
      const id = await licensedInstitution();
      const frozen = await post(`/api/v1/institutions/${id}/freeze`, yuelu, { reason: '资金异常' }).expect(200);
      expect(frozen.body.frozen).toBe(true);
      expect((await post(`/api/v1/institutions/${id}/freeze`, yuelu, { reason: 'x' }).expect(409)).body.code).toBe('INSTITUTION.ALREADY_FROZEN');
      await post(`/api/v1/institutions/${id}/unfreeze`, yuelu, { reason: '核查无误' }).expect(200);
    });

    it('lets the owner or a regulator close a licensed institution', async () => {
      const id = await licensedInstitution();
      const closed = await post(`/api/v1/institutions/${id}/close`, owner, { reason: '停止办学' }).expect(200);
      expect(closed.body.status).toBe('closed');
    });
  });

  describe('scope', () => {
    it('hides an institution from another district and another owner with 404, and shows it city-wide', async () => {
      const id = await licensedInstitution();
      await platform.http().get(`/api/v1/institutions/${id}`).set(as(furong)).expect(404);
      await post(`/api/v1/institutions/${id}/suspend`, furong, { reason: 'x' }).expect(404);
      await platform.http().get(`/api/v1/institutions/${id}`).set(as(otherOwner)).expect(404);
      await platform.http().get(`/api/v1/institutions/${id}`).set(as(changsha)).expect(200);
      await platform.http().get('/api/v1/institutions/not-a-uuid').set(as(yuelu)).expect(404);

      const furongList = await platform.http().get('/api/v1/institutions').set(as(furong)).expect(200);
      expect(furongList.body.total).toBe(0);
      const ownList = await platform.http().get('/api/v1/institutions').set(as(otherOwner)).expect(200);
      expect(ownList.body.total).toBe(0);
    });

    it('refuses registry actions to roles that do not hold them', async () => {
      const id = await licensedInstitution();
      const parent = await (async () => {
        await platform.http().post('/api/v1/auth/parents').send({ phone: '13600000001', password: 'password-1', name: '家长' }).expect(201);
        return loginAs(platform, '13600000001', 'password-1');
      })();
      await post(`/api/v1/institutions/${id}/suspend`, owner, { reason: 'x' }).expect(403);
      await post(`/api/v1/institutions/${id}/suspend`, parent, { reason: 'x' }).expect(403);
      await post('/api/v1/institutions', yuelu, newInstitution()).expect(403);
      await platform.http().get('/api/v1/institutions').expect(401);
    });
  });

  describe('courses, teachers and policy', () => {
    it('requires a qualified teacher for a subject course and refuses a price over 110% of the guided price', async () => {
      const id = await licensedInstitution();
      await platform
        .http()
        .put('/api/v1/districts/430104/policy')
        .set(as(yuelu))
        .send({
          maxPrepaidLessons: 60,
          maxPrepaidMonths: 3,
          maxPrepaidAmountFen: 500000,
          confirmWindowWorkingDays: 7,
          refundResponseWorkingDays: 5,
          settlementCycle: 'weekly',
          retentionRate: 0.2,
          retentionDays: 90,
          guidedPrices: { '10-35': 5000 },
          reportDueDay: 10,
          latestOfflineEnd: '20:30',
          latestOnlineEnd: '21:00',
        })
        .expect(200);
      const course = { name: '初中数学', subject: '数学', sizeBand: '10-35', lessonMinutes: 45, lessonPriceFen: 5500 };
      expect((await post(`/api/v1/institutions/${id}/courses`, owner, course).expect(422)).body.code).toBe('COURSE.NO_QUALIFIED_TEACHER');
      expect((await post(`/api/v1/institutions/${id}/teachers`, owner, { name: '李老师', fullTime: true, subjects: ['数学'] }).expect(422)).body.code).toBe(
        'TEACHER.QUALIFICATION_REQUIRED',
      );
      const teacher = await post(`/api/v1/institutions/${id}/teachers`, owner, {
        name: '李老师',
        fullTime: true,
        qualificationNo: '20194300012345678',
        subjects: ['数学'],
      }).expect(201);
      expect(teacher.body.qualificationNo).not.toContain('2019430001234');
      await post(`/api/v1/institutions/${id}/courses`, owner, course).expect(201);
      const tooDear = await post(`/api/v1/institutions/${id}/courses`, owner, { ...course, lessonPriceFen: 5501 }).expect(422);
      expect(tooDear.body).toMatchObject({ code: 'POLICY.PRICE_ABOVE_GUIDED', guidedPriceFen: 5000 });
      expect((await post(`/api/v1/institutions/${id}/courses`, owner, { ...course, lessonMinutes: 60 }).expect(422)).body.code).toBe('POLICY.LESSON_TOO_LONG');
    });

    it('serves the default policy, validates a new one and lets only the district’s regulators change it', async () => {
      const defaults = await platform.http().get('/api/v1/districts/430102/policy').set(as(owner)).expect(200);
      expect(defaults.body).toMatchObject({ maxPrepaidLessons: 60, retentionRate: 0.2, settlementCycle: 'weekly', latestOfflineEnd: '20:30' });
      const bad = await platform
        .http()
        .put('/api/v1/districts/430102/policy')
        .set(as(furong))
        .send({ retentionRate: 1.5, latestOnlineEnd: '25:00' })
        .expect(400);
      expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['retentionRate', 'latestOnlineEnd']));
      await platform.http().put('/api/v1/districts/430102/policy').set(as(yuelu)).send({ settlementCycle: 'daily' }).expect(404);
      const changed = await platform.http().put('/api/v1/districts/430102/policy').set(as(furong)).send({ settlementCycle: 'daily' }).expect(200);
      expect(changed.body).toMatchObject({ settlementCycle: 'daily', inheritsFrom: '430100' });
      expect(changed.body.overrides).toContain('settlementCycle');
    });
  });

  describe('public lookup', () => {
    it('finds a licensed institution by part of its Chinese name, licence number and credit code, with its list', async () => {
      const id = await licensedInstitution({ name: '新东方培训学校岳麓校区' });
      const byName = await platform.http().get('/api/v1/public/institutions?q=东方').expect(200);
      expect(byName.body.items).toEqual([
        expect.objectContaining({ id, list: 'white', riskLevel: 'green', licence: expect.objectContaining({ status: 'licensed' }) }),
      ]);
      const detail = await platform.http().get(`/api/v1/public/institutions/${id}`).expect(200);
      expect(detail.body).toMatchObject({ escrowSupervised: true, complaintsLast12Months: 0, address: expect.any(String) });
      const byLicence = await platform.http().get(`/api/v1/public/institutions?q=${detail.body.licence.number}`).expect(200);
      expect(byLicence.body.items[0].id).toBe(id);
      const byUscc = await platform.http().get(`/api/v1/public/institutions?q=${detail.body.uscc}`).expect(200);
      expect(byUscc.body.items[0].id).toBe(id);
      await platform.http().get(`/api/v1/public/licences/${detail.body.licence.number}`).expect(200);
    });

    it('forgives how a search is typed: traditional characters, full-width digits, licence numbers without separators', async () => {
      const id = await licensedInstitution({ name: '新东方文化艺术中心' });
      const traditional = await platform
        .http()
        .get(`/api/v1/public/institutions?q=${encodeURIComponent('新東方文化')}`)
        .expect(200);
      expect(traditional.body.items.map((item: { id: string }) => item.id)).toContain(id);
      const { number } = (await platform.http().get(`/api/v1/public/institutions/${id}`).expect(200)).body.licence;
      const fullWidth = [...number].map((char: string) => (char === '-' ? '－' : String.fromCharCode(char.charCodeAt(0) + 0xfee0))).join('');
      for (const typed of [number.replace(/-/g, ''), number.replace(/-/g, ' '), fullWidth]) {
        const found = await platform
          .http()
          .get(`/api/v1/public/institutions?q=${encodeURIComponent(typed)}`)
          .expect(200);
        expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([id]);
      }
    });

    it('says a name that matches nothing is not in the register', async () => {
      const response = await platform.http().get('/api/v1/public/institutions?q=无证黑机构').expect(200);
      expect(response.body).toMatchObject({ total: 0, notice: 'Not found in the register: treat as unlicensed.' });
      await platform.http().get('/api/v1/public/licences/430104-2020-99999').expect(404);
    });

    it('keeps drafts out of the register and shows a revoked licence on the black list', async () => {
      const draft = await post('/api/v1/institutions', owner, newInstitution({ name: '未审批草稿机构' })).expect(201);
      await platform.http().get(`/api/v1/public/institutions/${draft.body.id}`).expect(404);
      const id = await licensedInstitution({ name: '被吊销的机构' });
      await post(`/api/v1/institutions/${id}/suspend`, yuelu, { reason: 'x' }).expect(200);
      // Public answers are kept in memory until the database notifies the change: milliseconds, not the next request.
      const publicList = async () => (await platform.http().get(`/api/v1/public/institutions/${id}`).expect(200)).body.list;
      await eventually(async () => expect(await publicList()).toBe('grey'), 5_000, 20);
      await post(`/api/v1/institutions/${id}/revoke`, yuelu, { reason: 'x' }).expect(200);
      await eventually(async () => expect(await publicList()).toBe('black'), 5_000, 20);
    });
  });
});
