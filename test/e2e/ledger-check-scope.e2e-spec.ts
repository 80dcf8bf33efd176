import { DataSource } from 'typeorm';
import { expectStatus } from '../support/api-client';
import { TestPlatform, loginAs, startPlatform } from '../support/platform';
import { TuitionWorld, as } from '../support/tuition-world';

/** GET /ledger/check answers for the caller's scope: its district's, its city's, or (the admin) everyone's. */
describe('ledger check scope', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let contractId: string;
  let institutionId: string;
  const regulators: Record<string, string> = {};

  const check = async (token: string) => expectStatus(await platform.client(token).GET('/api/v1/ledger/check'), 200);
  const figures = async (token: string) => {
    const answer = await check(token);
    return Object.fromEntries(answer.invariants.map((invariant) => [invariant.invariant, invariant]));
  };

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
    for (const [username, districtCode] of [
      ['furong-reg', '430102'],
      ['changsha-reg', '430100'],
      ['liangxi-reg', '320213'],
    ]) {
      expectStatus(
        await platform.client(world.admin).POST('/api/v1/regulators', { body: { username, password: 'password-1', name: username, districtCode } }),
        201,
      );
      regulators[districtCode] = await loginAs(platform, username, 'password-1');
    }
    regulators['430104'] = world.regulator;
    const school = await world.school();
    institutionId = school.institutionId;
    contractId = await world.paidContract(await world.parent(), school);
  });
  afterAll(() => platform?.close());

  it('counts a district’s own institutions and contracts, its city’s, or all for the admin', async () => {
    for (const [token, seen] of [
      [regulators['430104'], 1],
      [regulators['430100'], 1],
      [world.admin, 1],
      [regulators['430102'], 0],
      [regulators['320213'], 0],
    ] as const) {
      const invariants = await figures(token);
      expect(invariants.contract_escrow_matches_activity.figures).toMatchObject({ contracts: seen });
      expect(invariants.custody_backed_by_receipts.figures).toMatchObject({ institutions: seen, receivedFen: seen * 100_000 });
      expect(invariants.custody_equals_liabilities.figures).toMatchObject({ custodyFen: seen * 100_000 });
    }
  });

  it('names a broken contract to its district and city only, and is never cached', async () => {
    // Break one contract's escrow behind the ledger's back (the balance off its transfers).
    await platform.api.get(DataSource).query(`UPDATE ledger_accounts SET credits_posted = credits_posted + 1 WHERE contract_id = $1`, [contractId]);
    for (const token of [regulators['430104'], regulators['430100'], world.admin]) {
      const answer = await check(token);
      expect(answer.ok).toBe(false);
      expect(JSON.stringify(answer)).toContain(contractId);
    }
    for (const token of [regulators['430102'], regulators['320213']]) {
      const answer = await check(token);
      expect(answer.ok).toBe(true);
      expect(JSON.stringify(answer)).not.toContain(contractId);
      expect(JSON.stringify(answer)).not.toContain(institutionId);
    }
    const response = await platform.http().get('/api/v1/ledger/check').set(as(world.regulator)).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    await platform.api.get(DataSource).query(`UPDATE ledger_accounts SET credits_posted = credits_posted - 1 WHERE contract_id = $1`, [contractId]);
  });
});
