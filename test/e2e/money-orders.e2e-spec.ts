import { DataSource } from 'typeorm';
import { RefundsService } from '@app/tuition';
import { expectStatus, idempotencyKey } from '../support/api-client';
import { contractWindow } from '../support/dates';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld } from '../support/tuition-world';

/**
 * What regulators and the bank do with money beyond the parent's own journey: refund orders with
 * claw-backs, the final release of a revoked institution's money, the refund sweep, alerts on refused
 * receipts, and the sandbox bank of npm start. Runs with a worker, so events become alerts and notices.
 * Through the typed client generated from docs/openapi.json (test/support/api-client.ts).
 */
describe('money by order of the regulator and the bank (e2e)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  const api = (token: string) => platform.client(token);
  const contract = async (token: string, id: string) => expectStatus(await api(token).GET('/api/v1/contracts/{id}', { params: { path: { id } } }), 200);
  const balances = async (school: School) => {
    const escrow = expectStatus(await api(world.regulator).GET('/api/v1/institutions/{id}/escrow', { params: { path: { id: school.institutionId } } }), 200);
    return Object.fromEntries(escrow.accounts.map((account) => [account.code, account.balanceFen]));
  };
  const confirm = async (parent: string, consumptionId: string) =>
    expectStatus(
      await api(parent).POST('/api/v1/consumptions/{id}/confirm', { params: { path: { id: consumptionId }, header: idempotencyKey() }, body: {} }),
      200,
    );
  const settle = async () => expectStatus(await api(world.regulator).POST('/api/v1/settlements/run', { body: { districtCode: '430104' } }), 200);
  const orderRefund = (token: string, id: string, body: { reason: string; clawbackLessons?: number }, key = idempotencyKey()) =>
    api(token).POST('/api/v1/contracts/{id}/refund-orders', { params: { path: { id }, header: key }, body });
  const openAlerts = async () => expectStatus(await api(world.regulator).GET('/api/v1/risk/alerts', { params: { query: { status: 'open' } } }), 200).items;
  /** A parent's contract of `lessons`, paid, with `confirmed` of them recorded and confirmed. */
  async function contractWithLessons(school: School, lessons: number, confirmed: number): Promise<{ parent: string; id: string }> {
    const parent = await world.parent();
    const id = await world.paidContract(parent, school, lessons);
    for (let day = 1; day <= confirmed; day++) {
      const [consumption] = (await world.recordLesson(school, [id], `${platform.clock.daysFromToday(-day)}T10:00:00+08:00`).expect(201)).body.consumptions;
      await confirm(parent, consumption.id);
    }
    return { parent, id };
  }

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
    await platform.startWorker({ SANDBOX_BANK: 'true', ENABLE_SCHEDULERS: 'true' });
  });
  afterAll(async () => {
    const check = expectStatus(await api(world.regulator).GET('/api/v1/ledger/check'), 200);
    expect(check.invariants.filter((invariant) => !invariant.ok)).toEqual([]);
    await platform?.close();
  });

  describe('refund orders', () => {
    it('refunds the unconsumed money and claws confirmed lessons back from payable, then reserve, at once', async () => {
      const school = await world.school(10_000);
      const { parent, id } = await contractWithLessons(school, 5, 3);
      await settle();
      expect(await balances(school)).toMatchObject({ payable: 0, reserve: 6_000, payouts: 24_000 });
      const [consumption] = (await world.recordLesson(school, [id]).expect(201)).body.consumptions;
      await confirm(parent, consumption.id);
      expect(await balances(school)).toMatchObject({ payable: 10_000, reserve: 6_000 });

      const tooMany = expectStatus(await orderRefund(world.regulator, id, { reason: '核实', clawbackLessons: 5 }), 422);
      expect(tooMany).toMatchObject({ code: 'REFUND.CLAWBACK_EXCEEDS_CONFIRMED', claimableLessons: 4 });
      // Three lessons back (¥300) is more than payable (¥100) and reserve (¥60) together.
      const uncovered = expectStatus(await orderRefund(world.regulator, id, { reason: '核实', clawbackLessons: 3 }), 422);
      expect(uncovered).toMatchObject({
        code: 'REFUND.CLAWBACK_UNCOVERED',
        clawbackFen: 30_000,
        availableFen: 16_000,
        payableFen: 10_000,
        reserveFen: 6_000,
      });
      expect(await balances(school)).toMatchObject({ payable: 10_000, reserve: 6_000, refunds: 0 });

      const order = { reason: '两节课未实际上课，责令退费', clawbackLessons: 1 };
      const ordered = expectStatus(await orderRefund(world.regulator, id, order, idempotencyKey(`order-${id}`)), 201);
      expect(ordered).toMatchObject({ kind: 'order', status: 'accepted', amountFen: 20_000, clawbackLessons: 1, clawbackFen: 10_000 });
      const replay = expectStatus(await orderRefund(world.regulator, id, order, idempotencyKey(`order-${id}`)), 201);
      expect(replay).toEqual(ordered);
      expect(await contract(parent, id)).toMatchObject({ status: 'refunded', escrowFen: 0, refundedFen: 10_000 });
      expect(await balances(school)).toMatchObject({ payable: 0, reserve: 6_000, refunds: 20_000 });

      await eventually(async () => {
        const notices = expectStatus(await api(parent).GET('/api/v1/notifications'), 200);
        expect(notices.items.map((item) => item.kind)).toContain('refund.ordered');
        const owner = expectStatus(await api(world.owner).GET('/api/v1/notifications'), 200);
        expect(owner.items).toEqual(
          expect.arrayContaining([expect.objectContaining({ kind: 'refund.ordered', data: expect.objectContaining({ clawbackFen: 10_000 }) })]),
        );
      });
    });

    it('takes a claw-back beyond payable from the reserve’s tranches', async () => {
      const school = await world.school(10_000);
      const { parent, id } = await contractWithLessons(school, 5, 5);
      await settle();
      expect(await balances(school)).toMatchObject({ payable: 0, reserve: 10_000 });
      const ordered = expectStatus(await orderRefund(world.regulator, id, { reason: '一节课未上', clawbackLessons: 1 }), 201);
      expect(ordered).toMatchObject({ amountFen: 10_000, clawbackFen: 10_000 });
      expect(await balances(school)).toMatchObject({ payable: 0, reserve: 0 });
      expect(await contract(parent, id)).toMatchObject({ consumedFen: 50_000, escrowFen: 0 });
      const tranches = await platform.api
        .get(DataSource)
        .query(`SELECT amount_fen AS amount, clawed_back_fen AS "clawedBack" FROM reserve_tranches WHERE institution_id = $1`, [school.institutionId]);
      expect(tranches).toEqual([{ amount: 10_000, clawedBack: 10_000 }]);
    });

    it('answers 404 for a contract outside the regulator’s districts', async () => {
      const school = await world.school(10_000);
      const { id } = await contractWithLessons(school, 2, 0);
      const furong = { username: 'furong-orders', password: 'password-1' };
      expectStatus(await api(world.admin).POST('/api/v1/regulators', { body: { ...furong, name: '芙蓉', districtCode: '430102' } }), 201);
      const { accessToken } = expectStatus(await platform.client().POST('/api/v1/auth/login', { body: furong }), 200);
      expect(expectStatus(await orderRefund(accessToken, id, { reason: 'x' }), 404).code).toBe('CONTRACT.NOT_FOUND');
      expectStatus(await orderRefund(world.owner, id, { reason: 'x' }), 403);
    });
  });

  describe('a revoked institution’s money', () => {
    it('is refunded to every parent though one refund fails (alerted and retried by the sweep), then released by the regulator as a payout never held', async () => {
      const school = await world.school(10_000);
      const { id } = await contractWithLessons(school, 5, 2);
      const others = [await world.paidContract(await world.parent(), school, 2), await world.paidContract(await world.parent(), school, 2)];
      await settle();
      const releaseKey = idempotencyKey();
      const release = () =>
        api(world.regulator).POST('/api/v1/institutions/{id}/reserve/release', {
          params: { path: { id: school.institutionId }, header: releaseKey },
          body: { reason: '终结' },
        });
      expect(expectStatus(await release(), 409)).toMatchObject({ code: 'RESERVE.LICENCE_NOT_ENDED', currentStatus: 'licensed' });

      // Fault injection in this test's own database: the automatic refund of one contract fails.
      const dataSource = platform.api.get(DataSource);
      await dataSource.query(
        `CREATE FUNCTION fail_one_refund() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.contract_id = '${others[0]}' THEN RAISE EXCEPTION 'bank link down'; END IF; RETURN NEW; END $$`,
      );
      await dataSource.query(`CREATE TRIGGER fail_one_refund BEFORE INSERT ON refund_requests FOR EACH ROW EXECUTE FUNCTION fail_one_refund()`);
      // The revocation's own job refunds what it can; the failing contract raises an alert.
      const institution = { params: { path: { id: school.institutionId } } };
      expectStatus(await api(world.regulator).POST('/api/v1/institutions/{id}/suspend', { ...institution, body: { reason: '跑路风险' } }), 200);
      expectStatus(await api(world.regulator).POST('/api/v1/institutions/{id}/revoke', { ...institution, body: { reason: '吊销' } }), 200);
      const statusOf = async (contractId: string) => (await contract(world.regulator, contractId)).status;
      await eventually(async () => expect([await statusOf(id), await statusOf(others[1])]).toEqual(['refunded', 'refunded']));
      await eventually(async () => {
        expect(await openAlerts()).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ kind: 'money', ruleCode: 'REFUND_SWEEP_FAILED', evidence: expect.objectContaining({ contractId: others[0] }) }),
          ]),
        );
      });
      expect(await statusOf(others[0])).toBe('active');
      expect(expectStatus(await release(), 409).code).toBe('RESERVE.CONTRACTS_OPEN');

      await dataSource.query(`DROP TRIGGER fail_one_refund ON refund_requests`);
      expect((await platform.api.get(RefundsService).sweepEndedLicences()).failed).toBe(0);
      expect(await statusOf(others[0])).toBe('refunded');
      // The payout settled before the revocation was cancelled back to payable.
      expect(await balances(school)).toMatchObject({ payable: 16_000, reserve: 4_000, payouts: 0 });

      const released = expectStatus(await release(), 201);
      expect(released).toMatchObject({ period: 'final-release', payoutFen: 16_000, releasedFen: 4_000 });
      expect(await balances(school)).toMatchObject({ payable: 0, reserve: 0, payouts: 20_000 });
      const bank = platform.client({ apiKey: world.bankKey });
      const pending = expectStatus(await bank.GET('/api/v1/bank/payout-instructions', { params: { query: { status: 'pending' } } }), 200);
      const final = pending.items.find((item) => item.institutionId === school.institutionId && item.kind === 'final_release');
      expect(final).toMatchObject({ amountFen: 20_000, status: 'pending' });
      const ack = { bankRef: 'BK-FINAL', executedAt: platform.clock.now().toISOString() };
      expectStatus(await bank.POST('/api/v1/bank/payout-instructions/{id}/ack', { params: { path: { id: final!.id } }, body: ack }), 200);
      expect(expectStatus(await release(), 201).id).toBe(released.id);
    });
  });

  describe('the bank', () => {
    it('raises an alert for the regulators for a receipt with an unknown reference or another amount', async () => {
      await world.receipt('PODOESNOTEXIST', 12_345, 'BK-UNKNOWN').expect(422);
      await eventually(async () => {
        expect(await openAlerts()).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              kind: 'reconciliation',
              ruleCode: 'BANK.UNKNOWN_REFERENCE',
              evidence: expect.objectContaining({ reference: 'PODOESNOTEXIST', amountFen: 12_345 }),
            }),
          ]),
        );
      });
    });

    it('in the sandbox of npm start, confirms an order a few seconds after it is opened, through the receipt path', async () => {
      const school = await world.school(10_000);
      const parent = await world.parent();
      const { id } = expectStatus(
        await api(parent).POST('/api/v1/contracts', {
          body: { courseId: school.courseId, studentName: '沙箱', lessons: 2, ...contractWindow(platform.clock) },
        }),
        201,
      );
      const order = { params: { path: { id }, header: idempotencyKey() }, body: { amountFen: 20_000, channel: 'wechat_pay' as const } };
      expectStatus(await api(parent).POST('/api/v1/contracts/{id}/payments', order), 201);
      expect((await contract(parent, id)).payments[0].status).toBe('pending');
      await eventually(
        async () =>
          expect(await contract(parent, id)).toMatchObject({
            status: 'active',
            paidFen: 20_000,
            payments: [{ status: 'confirmed', bankRef: expect.stringMatching(/^SANDBOX-/) }],
          }),
        20_000,
        250,
      );
    });
  });
});
