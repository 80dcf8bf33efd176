import { DataSource } from 'typeorm';
import { RefundsService } from '@app/tuition';
import { contractWindow } from '../support/dates';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld, as, key } from '../support/tuition-world';

/**
 * What regulators and the bank do with money beyond the parent's own journey: refund orders with
 * claw-backs, the final release of a revoked institution's money, the refund sweep, alerts on refused
 * receipts, and the sandbox bank of npm start. Runs with a worker, so events become alerts and notices.
 */
describe('money by order of the regulator and the bank (e2e)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  const http = () => platform.http();
  const contract = (token: string, id: string) =>
    http()
      .get(`/api/v1/contracts/${id}`)
      .set(as(token))
      .expect(200)
      .then((response) => response.body);
  const balances = async (school: School) => {
    const escrow = await http().get(`/api/v1/institutions/${school.institutionId}/escrow`).set(as(world.regulator)).expect(200);
    return Object.fromEntries(escrow.body.accounts.map((account: { code: string; balanceFen: number }) => [account.code, account.balanceFen]));
  };
  /** A parent's contract of `lessons`, paid, with `confirmed` of them recorded and confirmed. */
  async function contractWithLessons(school: School, lessons: number, confirmed: number): Promise<{ parent: string; id: string }> {
    const parent = await world.parent();
    const id = await world.paidContract(parent, school, lessons);
    for (let day = 1; day <= confirmed; day++) {
      const [consumption] = (await world.recordLesson(school, [id], `${platform.clock.daysFromToday(-day)}T10:00:00+08:00`).expect(201)).body.consumptions;
      await http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parent)).set(key()).send({}).expect(200);
    }
    return { parent, id };
  }

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
    await platform.startWorker({ SANDBOX_BANK: 'true', ENABLE_SCHEDULERS: 'true' });
  });
  afterAll(async () => {
    const check = await http().get('/api/v1/ledger/check').set(as(world.regulator)).expect(200);
    expect(check.body.invariants.filter((invariant: { ok: boolean }) => !invariant.ok)).toEqual([]);
    await platform?.close();
  });

  describe('refund orders', () => {
    it('refunds the unconsumed money and claws confirmed lessons back from payable, then reserve, at once', async () => {
      const school = await world.school(10_000);
      const { parent, id } = await contractWithLessons(school, 5, 3);
      await http().post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }).expect(200);
      expect(await balances(school)).toMatchObject({ payable: 0, reserve: 6_000, payouts: 24_000 });
      const [consumption] = (await world.recordLesson(school, [id]).expect(201)).body.consumptions;
      await http().post(`/api/v1/consumptions/${consumption.id}/confirm`).set(as(parent)).set(key()).send({}).expect(200);
      expect(await balances(school)).toMatchObject({ payable: 10_000, reserve: 6_000 });

      const tooMany = await http()
        .post(`/api/v1/contracts/${id}/refund-orders`)
        .set(as(world.regulator))
        .set(key())
        .send({ reason: '核实', clawbackLessons: 5 })
        .expect(422);
      expect(tooMany.body).toMatchObject({ code: 'REFUND.CLAWBACK_EXCEEDS_CONFIRMED', claimableLessons: 4 });
      // Three lessons back (¥300) is more than payable (¥100) and reserve (¥60) together.
      const uncovered = await http()
        .post(`/api/v1/contracts/${id}/refund-orders`)
        .set(as(world.regulator))
        .set(key())
        .send({ reason: '核实', clawbackLessons: 3 })
        .expect(422);
      expect(uncovered.body).toMatchObject({
        code: 'REFUND.CLAWBACK_UNCOVERED',
        clawbackFen: 30_000,
        availableFen: 16_000,
        payableFen: 10_000,
        reserveFen: 6_000,
      });
      expect(await balances(school)).toMatchObject({ payable: 10_000, reserve: 6_000, refunds: 0 });

      const ordered = await http()
        .post(`/api/v1/contracts/${id}/refund-orders`)
        .set(as(world.regulator))
        .set('Idempotency-Key', `order-${id}`)
        .send({ reason: '两节课未实际上课，责令退费', clawbackLessons: 1 })
        .expect(201);
      expect(ordered.body).toMatchObject({ kind: 'order', status: 'accepted', amountFen: 20_000, clawbackLessons: 1, clawbackFen: 10_000 });
      const replay = await http()
        .post(`/api/v1/contracts/${id}/refund-orders`)
        .set(as(world.regulator))
        .set('Idempotency-Key', `order-${id}`)
        .send({ reason: '两节课未实际上课，责令退费', clawbackLessons: 1 })
        .expect(201);
      expect(replay.body).toEqual(ordered.body);
      expect(await contract(parent, id)).toMatchObject({ status: 'refunded', escrowFen: 0, refundedFen: 10_000 });
      expect(await balances(school)).toMatchObject({ payable: 0, reserve: 6_000, refunds: 20_000 });

      await eventually(async () => {
        const notices = await http().get('/api/v1/notifications').set(as(parent)).expect(200);
        expect(notices.body.items.map((item: { kind: string }) => item.kind)).toContain('refund.ordered');
        const owner = await http().get('/api/v1/notifications').set(as(world.owner)).expect(200);
        expect(owner.body.items).toEqual(
          expect.arrayContaining([expect.objectContaining({ kind: 'refund.ordered', data: expect.objectContaining({ clawbackFen: 10_000 }) })]),
        );
      });
    });

    it('takes a claw-back beyond payable from the reserve’s tranches', async () => {
      const school = await world.school(10_000);
      const { parent, id } = await contractWithLessons(school, 5, 5);
      await http().post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }).expect(200);
      expect(await balances(school)).toMatchObject({ payable: 0, reserve: 10_000 });
      const ordered = await http()
        .post(`/api/v1/contracts/${id}/refund-orders`)
        .set(as(world.regulator))
        .set(key())
        .send({ reason: '一节课未上', clawbackLessons: 1 })
        .expect(201);
      expect(ordered.body).toMatchObject({ amountFen: 10_000, clawbackFen: 10_000 });
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
      await http()
        .post('/api/v1/regulators')
        .set(as(world.admin))
        .send({ username: 'furong-orders', password: 'password-1', name: '芙蓉', districtCode: '430102' })
        .expect(201);
      const furong = (await http().post('/api/v1/auth/login').send({ username: 'furong-orders', password: 'password-1' }).expect(200)).body.accessToken;
      await http().post(`/api/v1/contracts/${id}/refund-orders`).set(as(furong)).set(key()).send({ reason: 'x' }).expect(404);
      await http().post(`/api/v1/contracts/${id}/refund-orders`).set(as(world.owner)).set(key()).send({ reason: 'x' }).expect(403);
    });
  });

  describe('a revoked institution’s money', () => {
    it('is refunded to every parent though one refund fails (alerted and retried by the sweep), then released by the regulator as a payout never held', async () => {
      const school = await world.school(10_000);
      const { id } = await contractWithLessons(school, 5, 2);
      const others = [await world.paidContract(await world.parent(), school, 2), await world.paidContract(await world.parent(), school, 2)];
      await http().post('/api/v1/settlements/run').set(as(world.regulator)).send({ districtCode: '430104' }).expect(200);
      const release = () =>
        http().post(`/api/v1/institutions/${school.institutionId}/reserve/release`).set(as(world.regulator)).set(key()).send({ reason: '终结' });
      expect((await release().expect(409)).body).toMatchObject({ code: 'RESERVE.LICENCE_NOT_ENDED', currentStatus: 'licensed' });

      // Fault injection in this test's own database: the automatic refund of one contract fails.
      const dataSource = platform.api.get(DataSource);
      await dataSource.query(
        `CREATE FUNCTION fail_one_refund() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.contract_id = '${others[0]}' THEN RAISE EXCEPTION 'bank link down'; END IF; RETURN NEW; END $$`,
      );
      await dataSource.query(`CREATE TRIGGER fail_one_refund BEFORE INSERT ON refund_requests FOR EACH ROW EXECUTE FUNCTION fail_one_refund()`);
      // The revocation's own job refunds what it can; the failing contract raises an alert.
      await http().post(`/api/v1/institutions/${school.institutionId}/suspend`).set(as(world.regulator)).send({ reason: '跑路风险' }).expect(200);
      await http().post(`/api/v1/institutions/${school.institutionId}/revoke`).set(as(world.regulator)).send({ reason: '吊销' }).expect(200);
      const statusOf = async (contractId: string) => (await http().get(`/api/v1/contracts/${contractId}`).set(as(world.regulator)).expect(200)).body.status;
      await eventually(async () => expect([await statusOf(id), await statusOf(others[1])]).toEqual(['refunded', 'refunded']));
      await eventually(async () => {
        const alerts = await http().get('/api/v1/risk/alerts?status=open').set(as(world.regulator)).expect(200);
        expect(alerts.body.items).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ kind: 'money', ruleCode: 'REFUND_SWEEP_FAILED', evidence: expect.objectContaining({ contractId: others[0] }) }),
          ]),
        );
      });
      expect(await statusOf(others[0])).toBe('active');
      expect((await release().expect(409)).body.code).toBe('RESERVE.CONTRACTS_OPEN');

      await dataSource.query(`DROP TRIGGER fail_one_refund ON refund_requests`);
      expect((await platform.api.get(RefundsService).sweepEndedLicences()).failed).toBe(0);
      expect(await statusOf(others[0])).toBe('refunded');
      // The payout settled before the revocation was cancelled back to payable.
      expect(await balances(school)).toMatchObject({ payable: 16_000, reserve: 4_000, payouts: 0 });

      const released = await release().expect(201);
      expect(released.body).toMatchObject({ period: 'final-release', payoutFen: 16_000, releasedFen: 4_000 });
      expect(await balances(school)).toMatchObject({ payable: 0, reserve: 0, payouts: 20_000 });
      const pending = await http().get('/api/v1/bank/payout-instructions?status=pending').set('X-Api-Key', world.bankKey).expect(200);
      const final = pending.body.items.find(
        (item: { institutionId: string; kind: string }) => item.institutionId === school.institutionId && item.kind === 'final_release',
      );
      expect(final).toMatchObject({ amountFen: 20_000, status: 'pending' });
      await http()
        .post(`/api/v1/bank/payout-instructions/${final.id}/ack`)
        .set('X-Api-Key', world.bankKey)
        .send({ bankRef: 'BK-FINAL', executedAt: platform.clock.now().toISOString() })
        .expect(200);
      expect((await release().expect(201)).body.id).toBe(released.body.id);
    });
  });

  describe('the bank', () => {
    it('raises an alert for the regulators for a receipt with an unknown reference or another amount', async () => {
      await world.receipt('PODOESNOTEXIST', 12_345, 'BK-UNKNOWN').expect(422);
      await eventually(async () => {
        const alerts = await http().get('/api/v1/risk/alerts?status=open').set(as(world.regulator)).expect(200);
        expect(alerts.body.items).toEqual(
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
      const id = (
        await http()
          .post('/api/v1/contracts')
          .set(as(parent))
          .send({ courseId: school.courseId, studentName: '沙箱', lessons: 2, ...contractWindow(platform.clock) })
          .expect(201)
      ).body.id;
      await http().post(`/api/v1/contracts/${id}/payments`).set(as(parent)).set(key()).send({ amountFen: 20_000, channel: 'wechat_pay' }).expect(201);
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
