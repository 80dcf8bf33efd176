import { RiskService } from '@app/oversight';
import { DataSource } from 'typeorm';
import { DemoDataService } from '../../apps/api/src/demo/demo-data.service';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-logins';
import { TestPlatform, loginAs, startPlatform } from '../support/platform';

/**
 * `npm start`'s demo (docs/demo.md): six months of the demo district's life loaded through
 * the platform's own services, dated by the clock. What a visitor would notice is checked: the ledger
 * holds, the demo parent has lessons to confirm, the charts have six months to show, the reduction
 * figures are the Yuelu report's, no risk flag comes from loading, and loading twice changes nothing.
 */
describe('the living demo', () => {
  let platform: TestPlatform;
  let regulator: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    platform = await startPlatform({ LOAD_DEMO_DATA: 'true' });
    regulator = await loginAs(platform, 'yuelu-regulator', DEMO_PASSWORD);
  }, 240_000);
  afterAll(() => platform?.close());

  it('keeps every ledger invariant', async () => {
    const { body } = await platform.http().get('/api/v1/ledger/check').set(bearer(regulator)).expect(200);
    expect(body.invariants.filter((invariant: { ok: boolean }) => !invariant.ok)).toEqual([]);
    expect(body.ok).toBe(true);
  });

  it('gives the demo parent two contracts, each with a lesson waiting for confirmation', async () => {
    const parent = await loginAs(platform, '13800138000', DEMO_PASSWORD);
    const { body: contracts } = await platform.http().get('/api/v1/contracts').set(bearer(parent)).expect(200);
    expect(contracts.items).toHaveLength(2);
    for (const contract of contracts.items) {
      expect(contract).toMatchObject({ status: 'active', studentName: '王小明' });
      const { body: lessons } = await platform.http().get(`/api/v1/contracts/${contract.id}/lessons`).set(bearer(parent)).expect(200);
      expect(lessons.items.filter((lesson: { status: string }) => lesson.status === 'pending').length).toBeGreaterThanOrEqual(1);
    }
  });

  it('has six months of daily reduction snapshots and the Yuelu report’s figures: 13 → 2 subject institutions, 15,600 → 6,400 pupils', async () => {
    const from = platform.clock.daysFromToday(-182);
    const { body } = await platform.http().get('/api/v1/reduction').query({ districtCode: '430104', from }).set(bearer(regulator)).expect(200);
    expect(body.snapshots.length).toBeGreaterThanOrEqual(180);
    expect(body.rates.subjectInstitutions).toMatchObject({ baseline: 13, current: 2, rate: -0.8462 });
    expect(body.rates.students).toMatchObject({ baseline: 15_600, current: 6_400, rate: -0.5897 });
    // Pupils grew over the months as contracts were signed: the series is not flat.
    expect(body.snapshots[0].students).toBeLessThan(body.snapshots[body.snapshots.length - 1].students);
  });

  it('shows money moving through the months: settlements paid out with tranches retained, a refund, a dispute, a complaint answered', async () => {
    const db = platform.api.get(DataSource);
    const [figures] = await db.query(
      `SELECT (SELECT count(DISTINCT date_trunc('month', created_at)) FROM settlements)::int AS "settlementMonths",
              (SELECT count(*) FROM settlements WHERE retained_fen > 0)::int AS "retaining",
              (SELECT count(*) FROM refund_requests WHERE status = 'accepted')::int AS refunds,
              (SELECT count(*) FROM consumptions WHERE status = 'disputed')::int AS disputes,
              (SELECT count(*) FROM complaints WHERE contract_id IS NOT NULL AND answer IS NOT NULL)::int AS "answeredComplaints",
              (SELECT count(DISTINCT month) FROM monthly_reports WHERE status = 'accepted')::int AS "acceptedReportMonths"`,
    );
    expect(figures).toMatchObject({ refunds: 1, disputes: 1, answeredComplaints: 1 });
    expect(figures.settlementMonths).toBeGreaterThanOrEqual(6);
    expect(figures.retaining).toBeGreaterThan(0);
    expect(figures.acceptedReportMonths).toBeGreaterThanOrEqual(6);
  });

  it('shows the city regulator an institution that stopped enrolment and a renewal waiting for a decision', async () => {
    const changsha = await loginAs(platform, 'changsha-regulator', DEMO_PASSWORD);
    const { body } = await platform.http().get('/api/v1/institutions').query({ pageSize: 100 }).set(bearer(changsha)).expect(200);
    const byName = new Map(body.items.map((institution: { name: string }) => [institution.name, institution]));
    expect(byName.get('雨花初中数学在线')).toMatchObject({ status: 'enrolment_stopped' });
    expect(byName.get('天心舞蹈艺术学校')).toMatchObject({ status: 'licensed', renewalAppliedAt: expect.any(String) });
  });

  it('raises no risk flag by loading, only the one its expired licence deserves', async () => {
    await platform.api.get(RiskService).fullScan();
    const { body } = await platform.http().get('/api/v1/risk/institutions').query({ pageSize: 100 }).set(bearer(regulator)).expect(200);
    const flagged = body.items.filter((institution: { flags: unknown[] }) => institution.flags.length);
    // Only what the demo means to show: the licence it let expire.
    expect(
      flagged.map((institution: { name: string; flags: Array<{ ruleCode: string }> }) => [institution.name, institution.flags.map((flag) => flag.ruleCode)]),
    ).toEqual([['后湖美术工作室', ['LICENCE_EXPIRY']]]);
  });

  it('loads once: a second start changes nothing', async () => {
    const db = platform.api.get(DataSource);
    const count = async () =>
      (await db.query(`SELECT (SELECT count(*) FROM contracts)::int + (SELECT count(*) FROM ledger_transfers)::int AS n`))[0].n as number;
    const before = await count();
    await platform.api.get(DemoDataService).loadIfEmpty();
    expect(await count()).toBe(before);
  });
});
