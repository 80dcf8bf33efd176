import { RiskService } from '@app/oversight';
import { ADMIN, TestPlatform, loginAs, startPlatform } from '../support/platform';
import { createRegulator, newInstitution, signUpInstitution } from '../support/factories';

/** Courses and teachers as the regulations write them (docs/domain.md, "Courses and teachers"). */
describe('subjects, guided prices, subject approvals and teachers (e2e)', () => {
  let platform: TestPlatform;
  let owner: string;
  let yuelu: string;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const post = (path: string, token: string, body: object = {}) => platform.http().post(path).set(as(token)).send(body);
  const policyOf = async () => (await platform.http().get('/api/v1/districts/430104/policy').set(as(yuelu)).expect(200)).body;
  // A PUT sends only the fields it changes (docs/domain.md, "District policy").
  const setPolicy = (changes: object) => platform.http().put('/api/v1/districts/430104/policy').set(as(yuelu)).send(changes).expect(200);

  async function submitted(category: 'subject' | 'non_subject', delivery = 'offline'): Promise<string> {
    const created = await post('/api/v1/institutions', owner, newInstitution({ category, delivery })).expect(201);
    await post(`/api/v1/institutions/${created.body.id}/submit`, owner).expect(200);
    return created.body.id;
  }

  async function licensed(category: 'subject' | 'non_subject', delivery = 'offline'): Promise<string> {
    const id = await submitted(category, delivery);
    await post(`/api/v1/institutions/${id}/review`, yuelu, { decision: 'approve', reason: '材料齐全' }).expect(200);
    return id;
  }

  const teacher = (subjects: string[], extra: object = {}) => ({
    name: '李老师',
    fullTime: true,
    qualificationNo: '20194300012345678',
    subjects,
    backgroundCheckedAt: platform.clock.daysFromToday(-10),
    ...extra,
  });

  beforeAll(async () => {
    platform = await startPlatform();
    const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
    owner = await signUpInstitution(platform, 'ct-owner');
    yuelu = await createRegulator(platform, admin, 'ct-yuelu', '430104', '岳麓');
  });
  afterAll(() => platform?.close());

  it('lists the closed national subject list, to anyone', async () => {
    const { body } = await platform.http().get('/api/v1/reference/subjects').expect(200);
    expect(body.items.filter((item: { category: string }) => item.category === 'subject').map((item: { name: string }) => item.name)).toEqual([
      '道德与法治',
      '语文',
      '历史',
      '地理',
      '数学',
      '外语',
      '物理',
      '化学',
      '生物',
    ]);
    expect(body.items[0]).toEqual({ code: 'morality_law', name: '道德与法治', category: 'subject' });
  });

  it('refuses a new subject-category licence until the district opens approvals (双减); a non-subject one is unaffected', async () => {
    expect(await policyOf()).toMatchObject({ subjectApprovalsOpen: false, guidedPriceMargin: 0.1, backgroundCheckMonths: 12 });
    const subject = await submitted('subject');
    const closed = await post(`/api/v1/institutions/${subject}/review`, yuelu, { decision: 'approve', reason: '材料齐全' }).expect(422);
    expect(closed.body).toMatchObject({ code: 'LICENCE.SUBJECT_APPROVALS_CLOSED', currentStatus: 'submitted' });
    await licensed('non_subject');

    await setPolicy({ subjectApprovalsOpen: true });
    expect((await policyOf()).subjectApprovalsOpen).toBe(true);
    await post(`/api/v1/institutions/${subject}/review`, yuelu, { decision: 'approve', reason: '材料齐全' }).expect(200);
  });

  describe('courses', () => {
    beforeAll(() => setPolicy({ subjectApprovalsOpen: true, guidedPrices: { '10-35': 9000 }, guidedPriceMargin: 0.1 }));

    it('a subject course names a listed subject; a non-subject course may not', async () => {
      const subject = await licensed('subject');
      await post(`/api/v1/institutions/${subject}/teachers`, owner, teacher(['数学', '美术'])).expect(201);
      const unlisted = await post(`/api/v1/institutions/${subject}/courses`, owner, {
        name: '美术',
        subject: '美术',
        sizeBand: '10-35',
        lessonMinutes: 45,
        lessonPriceFen: 8000,
      }).expect(422);
      expect(unlisted.body).toMatchObject({ code: 'COURSE.SUBJECT_NOT_LISTED', errors: [{ field: 'subject' }] });
      const filed = await post(`/api/v1/institutions/${subject}/courses`, owner, {
        name: '初中数学',
        subject: '数学',
        sizeBand: '10-35',
        lessonMinutes: 45,
        lessonPriceFen: 8000,
      });
      expect(filed.status).toBe(201);
      expect(filed.body.subject).toBe('数学');

      const other = await licensed('non_subject');
      await post(`/api/v1/institutions/${other}/teachers`, owner, teacher(['数学'])).expect(201);
      const disguised = await post(`/api/v1/institutions/${other}/courses`, owner, {
        name: '思维训练',
        subject: '数学',
        sizeBand: '10-35',
        lessonMinutes: 45,
        lessonPriceFen: 8000,
      }).expect(422);
      expect(disguised.body).toMatchObject({ code: 'COURSE.SUBJECT_NOT_ALLOWED', errors: [{ field: 'subject' }] });
    });

    it('prorates the guided price of the standard lesson to the lesson length, in whole fen, with the district margin', async () => {
      const id = await licensed('subject');
      await post(`/api/v1/institutions/${id}/teachers`, owner, teacher(['数学'])).expect(201);
      const course = (minutes: number, lessonPriceFen: number) =>
        post(`/api/v1/institutions/${id}/courses`, owner, {
          name: `数学${minutes}`,
          subject: '数学',
          sizeBand: '10-35',
          lessonMinutes: minutes,
          lessonPriceFen,
        });
      // 9000 fen per 45 minutes: a 30-minute lesson is capped at 6000 × 1.10 = 6600 fen.
      expect((await course(30, 6600)).status).toBe(201);
      const over = await course(30, 6601);
      expect(over.status).toBe(422);
      expect(over.body).toMatchObject({ code: 'POLICY.PRICE_ABOVE_GUIDED', guidedPriceFen: 9000, highestPriceFen: 6600 });
      // 40 minutes: 9000 × 40 / 45 × 1.1 = 8800 exactly; a float would have to round 8000.000…1.
      expect((await course(40, 8800)).status).toBe(201);
      expect((await course(40, 8801)).status).toBe(422);

      await setPolicy({ guidedPriceMargin: 0 });
      expect((await course(30, 6001)).body).toMatchObject({ code: 'POLICY.PRICE_ABOVE_GUIDED', highestPriceFen: 6000 });
      expect((await course(30, 6000)).status).toBe(201);
      await setPolicy({ guidedPriceMargin: 0.1 });
    });

    it('prorates from the 30-minute standard for an online institution', async () => {
      const id = await licensed('subject', 'online');
      await post(`/api/v1/institutions/${id}/teachers`, owner, teacher(['外语'])).expect(201);
      const course = (minutes: number, lessonPriceFen: number) =>
        post(`/api/v1/institutions/${id}/courses`, owner, {
          name: `外语${minutes}`,
          subject: '外语',
          sizeBand: '10-35',
          lessonMinutes: minutes,
          lessonPriceFen,
        });
      // 9000 fen per 30 minutes online: 20 minutes → 6000 × 1.1 = 6600.
      expect((await course(20, 6600)).status).toBe(201);
      expect((await course(20, 6601)).body.code).toBe('POLICY.PRICE_ABOVE_GUIDED');
    });
  });

  describe('teachers', () => {
    it('records the background check date, refuses one in the future, and publishes the certificate number but never a phone', async () => {
      const id = await licensed('subject');
      const future = await post(
        `/api/v1/institutions/${id}/teachers`,
        owner,
        teacher(['数学'], { backgroundCheckedAt: platform.clock.daysFromToday(1) }),
      ).expect(422);
      expect(future.body.code).toBe('TEACHER.BACKGROUND_CHECK_IN_FUTURE');
      const added = await post(`/api/v1/institutions/${id}/teachers`, owner, teacher(['数学'])).expect(201);
      expect(added.body.backgroundCheckedAt).toBe(platform.clock.daysFromToday(-10));

      const page = await platform.http().get(`/api/v1/public/institutions/${id}`).expect(200);
      expect(page.body.teachers).toEqual([expect.objectContaining({ qualified: true, qualificationNo: '20194300012345678' })]);
      expect(JSON.stringify(page.body)).not.toContain('13874100001');
    });

    it('STAFF_UNCHECKED fires for a teacher with no check on file, and once a check is older than backgroundCheckMonths', async () => {
      const risk = platform.api.get(RiskService);
      const unchecked = await licensed('non_subject');
      await post(`/api/v1/institutions/${unchecked}/teachers`, owner, { name: '王老师', fullTime: true, subjects: ['美术'] }).expect(201);
      const stale = await licensed('non_subject');
      await post(`/api/v1/institutions/${stale}/teachers`, owner, {
        name: '赵老师',
        fullTime: true,
        subjects: ['美术'],
        backgroundCheckedAt: platform.clock.daysFromToday(-370),
      }).expect(201);
      const fresh = await licensed('non_subject');
      await post(`/api/v1/institutions/${fresh}/teachers`, owner, teacher(['美术'])).expect(201);

      const levels = await risk.evaluate([unchecked, stale, fresh]);
      expect([levels.get(unchecked), levels.get(stale), levels.get(fresh)]).toEqual(['yellow', 'yellow', 'green']);
    });
  });
});
