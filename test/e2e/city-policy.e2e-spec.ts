import { ADMIN, TestPlatform, loginAs, startPlatform } from '../support/platform';
import { createRegulator, newInstitution, signUpInstitution } from '../support/factories';

/** A city's policy inherited by its districts field by field (docs/domain.md, "District policy"). */
describe('city-wide policy inherited by its districts (e2e)', () => {
  let platform: TestPlatform;
  let admin: string;
  let owner: string;
  let changsha: string;
  let yuelu: string;
  let furong: string;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const post = (path: string, token: string, body: object = {}) => platform.http().post(path).set(as(token)).send(body);
  const policyOf = async (code: string) => (await platform.http().get(`/api/v1/districts/${code}/policy`).set(as(owner)).expect(200)).body;
  const change = (code: string, token: string, body: object) => platform.http().put(`/api/v1/districts/${code}/policy`).set(as(token)).send(body);

  async function submittedSubjectInstitution(districtCode: string): Promise<string> {
    const created = await post('/api/v1/institutions', owner, newInstitution({ category: 'subject', districtCode })).expect(201);
    await post(`/api/v1/institutions/${created.body.id}/submit`, owner).expect(200);
    return created.body.id;
  }

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await loginAs(platform, ADMIN.username, ADMIN.password);
    owner = await signUpInstitution(platform, 'cp-owner', { contactName: '周明', phone: '13874100002' });
    changsha = await createRegulator(platform, admin, 'cp-changsha', '430100');
    yuelu = await createRegulator(platform, admin, 'cp-yuelu', '430104');
    furong = await createRegulator(platform, admin, 'cp-furong', '430102');
  });
  afterAll(() => platform?.close());

  it('starts with the city holding today’s defaults and its districts inheriting every field', async () => {
    const city = await policyOf('430100');
    expect(city).toMatchObject({
      districtCode: '430100',
      level: 'city',
      inheritsFrom: null,
      maxPrepaidLessons: 60,
      retentionRate: 0.2,
      subjectApprovalsOpen: false,
    });
    expect(city.overrides).toEqual(expect.arrayContaining(['maxPrepaidLessons', 'retentionRate', 'guidedPriceMargin', 'riskThresholds.stalledDays']));
    expect(await policyOf('430104')).toMatchObject({ districtCode: '430104', level: 'district', inheritsFrom: '430100', maxPrepaidLessons: 60, overrides: [] });
  });

  it('carries a change of the city’s policy to every district that inherits the field, not to one that overrides it; audited', async () => {
    await change('430102', furong, { maxPrepaidLessons: 50 }).expect(200);
    const city = await change('430100', changsha, { maxPrepaidLessons: 30, settlementCycle: 'monthly' }).expect(200);
    expect(city.body).toMatchObject({ level: 'city', maxPrepaidLessons: 30, settlementCycle: 'monthly' });

    expect(await policyOf('430104')).toMatchObject({ maxPrepaidLessons: 30, settlementCycle: 'monthly', overrides: [] });
    expect(await policyOf('430102')).toMatchObject({ maxPrepaidLessons: 50, settlementCycle: 'monthly', overrides: ['maxPrepaidLessons'] });

    const audit = await platform.http().get('/api/v1/audit?targetId=430100').set(as(changsha)).expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'policy.updated',
        actorRole: 'regulator',
        targetType: 'city',
        details: expect.objectContaining({ change: { maxPrepaidLessons: 30, settlementCycle: 'monthly' } }),
      }),
    ]);
  });

  it('inherits the city’s value again once the district sets the field to null', async () => {
    await change('430102', furong, { reportDueDay: 20, riskThresholds: { stalledDays: 60 } }).expect(200);
    const back = await change('430102', furong, { maxPrepaidLessons: null, riskThresholds: { stalledDays: null } }).expect(200);
    expect(back.body).toMatchObject({ maxPrepaidLessons: 30, reportDueDay: 20, riskThresholds: { stalledDays: 30 }, overrides: ['reportDueDay'] });
    await change('430100', changsha, { maxPrepaidLessons: 25 }).expect(200);
    expect(await policyOf('430102')).toMatchObject({ maxPrepaidLessons: 25, reportDueDay: 20 });
  });

  it('lets only the city’s regulators change the city’s policy', async () => {
    const before = await policyOf('430100');
    const refused = await change('430100', yuelu, { maxPrepaidLessons: 99 }).expect(404);
    expect(refused.body.code).toBe('REFERENCE.UNKNOWN_DISTRICT');
    expect((await change('430100', admin, { maxPrepaidLessons: 99 }).expect(403)).body.code).toBe('AUTH.FORBIDDEN');
    expect(await policyOf('430100')).toEqual(before);
    // The city's regulator may still change one of its districts.
    await change('430104', changsha, { latestOfflineEnd: '20:00' }).expect(200);
    expect(await policyOf('430104')).toMatchObject({ latestOfflineEnd: '20:00', overrides: ['latestOfflineEnd'] });
    await change('430104', yuelu, { latestOfflineEnd: null }).expect(200);
  });

  it('refuses unknown fields and bad values with problem+json, changing nothing', async () => {
    const before = await policyOf('430104');
    const unknown = await change('430104', yuelu, { maxPrepaidLessons: 40, overrides: ['maxPrepaidLessons'] }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'VALIDATION.UNKNOWN_FIELD', errors: [{ field: 'overrides' }] });
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const bad = await change('430104', yuelu, { guidedPriceMargin: 1.5, guidedPrices: { '<10': null }, riskThresholds: { stalledDays: 1 } }).expect(400);
    expect(bad.body.code).toBe('VALIDATION.FAILED');
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining(['guidedPriceMargin', 'guidedPrices.<10', 'riskThresholds.stalledDays']),
    );
    expect(await policyOf('430104')).toEqual(before);
  });

  it('approves subject institutions and checks guided prices by the policy in force, the city’s where the district inherits', async () => {
    await change('430100', changsha, { subjectApprovalsOpen: true, guidedPrices: { '10-35': 9000 }, guidedPriceMargin: 0.1 }).expect(200);
    await change('430102', furong, { subjectApprovalsOpen: false }).expect(200);

    const inYuelu = await submittedSubjectInstitution('430104');
    await post(`/api/v1/institutions/${inYuelu}/review`, yuelu, { decision: 'approve', reason: '材料齐全' }).expect(200);
    const inFurong = await submittedSubjectInstitution('430102');
    const closed = await post(`/api/v1/institutions/${inFurong}/review`, furong, { decision: 'approve', reason: '材料齐全' }).expect(422);
    expect(closed.body.code).toBe('LICENCE.SUBJECT_APPROVALS_CLOSED');

    await post(`/api/v1/institutions/${inYuelu}/teachers`, owner, {
      name: '李老师',
      fullTime: true,
      qualificationNo: '20194300012345678',
      subjects: ['数学'],
      backgroundCheckedAt: platform.clock.daysFromToday(-10),
    }).expect(201);
    const course = (lessonPriceFen: number) =>
      post(`/api/v1/institutions/${inYuelu}/courses`, owner, {
        name: `数学${lessonPriceFen}`,
        subject: '数学',
        sizeBand: '10-35',
        lessonMinutes: 45,
        lessonPriceFen,
      });
    // The city's cap and margin: 9000 × 1.1 = 9900.
    expect((await course(9901).expect(422)).body).toMatchObject({ code: 'POLICY.PRICE_ABOVE_GUIDED', guidedPriceFen: 9000, highestPriceFen: 9900 });
    await course(9900).expect(201);
    // Yuelu's own margin over the city's cap: 9000 × 1.2 = 10800.
    await change('430104', yuelu, { guidedPriceMargin: 0.2 }).expect(200);
    await course(10800).expect(201);
    // The city lowers its cap: Yuelu, inheriting the cap, follows at once.
    await change('430100', changsha, { guidedPrices: { '10-35': 8000 } }).expect(200);
    expect((await course(9601).expect(422)).body).toMatchObject({ guidedPriceFen: 8000, highestPriceFen: 9600 });
  });
});
