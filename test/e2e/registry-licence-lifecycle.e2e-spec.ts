import { InstitutionsService } from '@app/registry';
import { ADMIN, TestPlatform, loginAs, startPlatform } from '../support/platform';
import { createRegulator, newInstitution, signUpInstitution } from '../support/factories';

/** The licence life cycle as the penalty rules have it (docs/domain.md, “Licences”). */
describe('licence life cycle: enrolment stopped, revocation, renewals, closure (e2e)', () => {
  let platform: TestPlatform;
  let admin: string;
  let owner: string;
  let yuelu: string;
  let furong: string;
  /** The day the tests start on: a test that moves the clock brings it back here. */
  let startDay: string;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const post = (path: string, token: string, body: object = {}) => platform.http().post(path).set(as(token)).send(body);
  const publicPage = async (id: string) => (await platform.http().get(`/api/v1/public/institutions/${id}`).expect(200)).body;

  async function licensed(validYears = 3): Promise<{ id: string; validUntil: string }> {
    const created = await post('/api/v1/institutions', owner, newInstitution({ category: 'non_subject' })).expect(201);
    await post(`/api/v1/institutions/${created.body.id}/submit`, owner).expect(200);
    const approved = await post(`/api/v1/institutions/${created.body.id}/review`, yuelu, { decision: 'approve', reason: '材料齐全', validYears }).expect(200);
    return { id: created.body.id, validUntil: approved.body.licenceValidUntil };
  }

  beforeAll(async () => {
    platform = await startPlatform();
    startDay = platform.clock.today();
    admin = await loginAs(platform, ADMIN.username, ADMIN.password);
    owner = await signUpInstitution(platform, 'lifecycle-owner');
    yuelu = await createRegulator(platform, admin, 'lc-yuelu', '430104');
    furong = await createRegulator(platform, admin, 'lc-furong', '430102');
  });
  afterAll(() => platform?.close());

  describe('enrolment stopped (停止招生)', () => {
    it('stops and resumes enrolment by the district regulator only; grey while stopped, white again after', async () => {
      const { id } = await licensed();
      expect((await publicPage(id)).list).toBe('white');
      expect((await post(`/api/v1/institutions/${id}/stop-enrolment`, owner, { reason: '自行' }).expect(403)).body.code).toBe('AUTH.FORBIDDEN');
      await post(`/api/v1/institutions/${id}/stop-enrolment`, furong, { reason: '他区' }).expect(404);
      const stopped = await post(`/api/v1/institutions/${id}/stop-enrolment`, yuelu, { reason: '消防隐患整改' }).expect(200);
      expect(stopped.body.status).toBe('enrolment_stopped');
      const page = await publicPage(id);
      expect(page).toMatchObject({ list: 'grey', licence: { status: 'enrolment_stopped' }, escrowSupervised: true });
      expect(['yellow', 'red']).toContain(page.riskLevel);

      const again = await post(`/api/v1/institutions/${id}/stop-enrolment`, yuelu, { reason: '再次' }).expect(409);
      expect(again.body).toMatchObject({ code: 'LICENCE.INVALID_TRANSITION', currentStatus: 'enrolment_stopped' });
      const suspend = await post(`/api/v1/institutions/${id}/suspend`, yuelu, { reason: '停业' }).expect(409);
      expect(suspend.body).toMatchObject({ code: 'LICENCE.INVALID_TRANSITION', currentStatus: 'enrolment_stopped' });

      expect((await post(`/api/v1/institutions/${id}/resume-enrolment`, yuelu, { reason: '整改完成' }).expect(200)).body.status).toBe('licensed');
      expect((await publicPage(id)).list).toBe('white');
      const resumeAgain = await post(`/api/v1/institutions/${id}/resume-enrolment`, yuelu, { reason: '再次' }).expect(409);
      expect(resumeAgain.body).toMatchObject({ code: 'LICENCE.INVALID_TRANSITION', currentStatus: 'licensed' });
    });

    it('records each step with who and why', async () => {
      const { id } = await licensed();
      await post(`/api/v1/institutions/${id}/stop-enrolment`, yuelu, { reason: '消防隐患整改' }).expect(200);
      await post(`/api/v1/institutions/${id}/resume-enrolment`, yuelu, { reason: '整改完成' }).expect(200);
      const detail = await platform.http().get(`/api/v1/institutions/${id}`).set(as(yuelu)).expect(200);
      const actions = (detail.body.history as Array<{ action: string; reason: string }>).map((event) => [event.action, event.reason]);
      expect(actions).toEqual(
        expect.arrayContaining([
          ['stop_enrolment', '消防隐患整改'],
          ['resume_enrolment', '整改完成'],
        ]),
      );
    });
  });

  describe('revocation (吊销)', () => {
    it.each(['licensed', 'suspended', 'enrolment_stopped'])('revokes from %s, black and red afterwards', async (from) => {
      const { id } = await licensed();
      if (from === 'suspended') await post(`/api/v1/institutions/${id}/suspend`, yuelu, { reason: '停业整顿' }).expect(200);
      if (from === 'enrolment_stopped') await post(`/api/v1/institutions/${id}/stop-enrolment`, yuelu, { reason: '停止招生' }).expect(200);
      expect((await post(`/api/v1/institutions/${id}/revoke`, owner, { reason: '自行' }).expect(403)).body.code).toBe('AUTH.FORBIDDEN');
      expect((await post(`/api/v1/institutions/${id}/revoke`, yuelu, { reason: '违规收费' }).expect(200)).body.status).toBe('revoked');
      expect(await publicPage(id)).toMatchObject({ list: 'black', riskLevel: 'red', licence: { status: 'revoked' } });
      const again = await post(`/api/v1/institutions/${id}/revoke`, yuelu, { reason: '再次' }).expect(409);
      expect(again.body).toMatchObject({ code: 'LICENCE.INVALID_TRANSITION', currentStatus: 'revoked' });
    });
  });

  describe('closure', () => {
    it('closed at its own request shows as closed with no list colour; closed by order stays black', async () => {
      const own = await licensed();
      await post(`/api/v1/institutions/${own.id}/close`, owner, { reason: '停止办学' }).expect(200);
      expect(await publicPage(own.id)).toMatchObject({ list: null, licence: { status: 'closed' } });

      const ordered = await licensed();
      await post(`/api/v1/institutions/${ordered.id}/close`, yuelu, { reason: '责令关闭' }).expect(200);
      expect(await publicPage(ordered.id)).toMatchObject({ list: 'black', riskLevel: 'red', licence: { status: 'closed' } });
    });
  });

  describe('renewals', () => {
    it('opens 90 days before validUntil; refuses earlier, a second application, a review with none pending and a review by the owner', async () => {
      const { id, validUntil } = await licensed(1);
      const early = await post(`/api/v1/institutions/${id}/renewals`, owner, {}).expect(422);
      expect(early.body).toMatchObject({ code: 'LICENCE.RENEWAL_NOT_OPEN', validUntil });
      const none = await post(`/api/v1/institutions/${id}/renewals/current/review`, yuelu, { decision: 'approve', reason: '续期' }).expect(409);
      expect(none.body).toMatchObject({ code: 'LICENCE.NO_RENEWAL_PENDING', currentStatus: 'licensed' });
      expect((await post(`/api/v1/institutions/${id}/renewals`, yuelu, {}).expect(403)).body.code).toBe('AUTH.FORBIDDEN');

      platform.clock.travelTo(early.body.opensOn);
      try {
        await post(`/api/v1/institutions/${id}/renewals`, owner, { validYears: 2 }).expect(201);
        const twice = await post(`/api/v1/institutions/${id}/renewals`, owner, {}).expect(409);
        expect(twice.body).toMatchObject({ code: 'LICENCE.RENEWAL_PENDING', currentStatus: 'licensed' });
        expect((await post(`/api/v1/institutions/${id}/renewals/current/review`, owner, { decision: 'approve', reason: 'x' }).expect(403)).body.code).toBe(
          'AUTH.FORBIDDEN',
        );
        // The regulator's renewal queue lists it, and only what awaits a decision.
        const queue = async () =>
          (await platform.http().get('/api/v1/institutions').query({ renewalPending: 'true', pageSize: 100 }).set(as(yuelu)).expect(200)).body.items.map(
            (institution: { id: string }) => institution.id,
          );
        expect(await queue()).toEqual([id]);
        expect((await platform.http().get('/api/v1/institutions').query({ renewalPending: 'yes' }).set(as(yuelu)).expect(400)).body.code).toBe(
          'VALIDATION.FAILED',
        );
        // Within 30 days of the end but with a renewal pending: still white.
        platform.clock.travelTo(validUntil);
        expect((await publicPage(id)).list).toBe('white');

        const granted = await post(`/api/v1/institutions/${id}/renewals/current/review`, yuelu, { decision: 'approve', reason: '续期' }).expect(200);
        const dayAfter = platform.clock.daysFromToday(1);
        expect(granted.body).toMatchObject({ status: 'licensed', licenceValidFrom: dayAfter, renewalAppliedAt: null });
        expect(granted.body.licenceValidUntil.slice(0, 4)).toBe(String(Number(dayAfter.slice(0, 4)) + 2));
        expect(await queue()).toEqual([]);
      } finally {
        platform.clock.travelTo(startDay);
      }
    });

    it('a refused renewal leaves the licence to expire at validUntil', async () => {
      const { id, validUntil } = await licensed(1);
      const service = platform.api.get(InstitutionsService);
      platform.clock.travelTo(validUntil);
      try {
        await post(`/api/v1/institutions/${id}/renewals`, owner, {}).expect(201);
        await post(`/api/v1/institutions/${id}/renewals/current/review`, yuelu, { decision: 'reject', reason: '条件不符' }).expect(200);
        platform.clock.advanceDays(1);
        expect(await service.expireDue()).toContain(id);
        expect(await publicPage(id)).toMatchObject({ list: 'black', riskLevel: 'red', licence: { status: 'expired' } });
      } finally {
        platform.clock.travelTo(startDay);
      }
    });

    it('a renewal still undecided at validUntil is deemed granted by the expiry job, and recorded as such', async () => {
      const { id, validUntil } = await licensed(1);
      const service = platform.api.get(InstitutionsService);
      platform.clock.travelTo(validUntil);
      try {
        await post(`/api/v1/institutions/${id}/renewals`, owner, { validYears: 3 }).expect(201);
        expect(await service.expireDue()).not.toContain(id);
        platform.clock.advanceDays(1);
        const dayAfter = platform.clock.today();
        expect(await service.expireDue()).not.toContain(id);

        const detail = await platform.http().get(`/api/v1/institutions/${id}`).set(as(yuelu)).expect(200);
        expect(detail.body).toMatchObject({ status: 'licensed', licenceValidFrom: dayAfter, renewalAppliedAt: null });
        expect(detail.body.history).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'deem_renewal', actorRole: 'system' })]));
        expect((await publicPage(id)).list).toBe('white');
      } finally {
        platform.clock.travelTo(startDay);
      }
    });
  });
});
