import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApi } from '../../apps/api/src/create-api';
import { createApiClient, expectStatus } from '../support/api-client';
import { ADMIN, TestPlatform, loginAs, startPlatform } from '../support/platform';

/** Accounts that end at once, common passwords, and auth limits every replica shares (docs/decisions.md, "Security"). */
describe('account security', () => {
  describe('sessions and passwords', () => {
    let platform: TestPlatform;
    beforeAll(async () => {
      platform = await startPlatform();
    });
    afterAll(() => platform.close());

    const newParent = async (phone: string, password = 'parent-password') => {
      expectStatus(await platform.client().POST('/api/v1/auth/parents', { body: { phone, password, name: '王芳' } }), 201);
      return loginAs(platform, phone, password);
    };

    it('refuses every token of the caller after logout', async () => {
      const first = await newParent('13900002001');
      const second = await loginAs(platform, '13900002001', 'parent-password');
      expectStatus(await platform.client(first).POST('/api/v1/auth/logout'), 200);
      expectStatus(await platform.client(first).GET('/api/v1/me'), 401);
      expectStatus(await platform.client(second).GET('/api/v1/me'), 401);
      expectStatus(await platform.client(await loginAs(platform, '13900002001', 'parent-password')).GET('/api/v1/me'), 200);
    });

    it('changes a password: the old tokens are refused, the answer is a working token', async () => {
      const old = await newParent('13900002002');
      const wrong = expectStatus(
        await platform.client(old).POST('/api/v1/auth/password', { body: { currentPassword: 'not-it-at-all', newPassword: 'Lush-Orbit-42-Kettle' } }),
        422,
      );
      expect(wrong.code).toBe('AUTH.WRONG_PASSWORD');
      const fresh = expectStatus(
        await platform.client(old).POST('/api/v1/auth/password', { body: { currentPassword: 'parent-password', newPassword: 'Lush-Orbit-42-Kettle' } }),
        200,
      );
      expectStatus(await platform.client(old).GET('/api/v1/me'), 401);
      expectStatus(await platform.client(fresh.accessToken).GET('/api/v1/me'), 200);
      expectStatus(await platform.client().POST('/api/v1/auth/login', { body: { username: '13900002002', password: 'parent-password' } }), 401);
      await loginAs(platform, '13900002002', 'Lush-Orbit-42-Kettle');
    });

    it('refuses a common password, in any case, at sign-up and at a change', async () => {
      const signUp = expectStatus(
        await platform.client().POST('/api/v1/auth/parents', { body: { phone: '13900002003', password: 'PassWord1', name: '王芳' } }),
        422,
      );
      expect(signUp.code).toBe('ACCOUNT.COMMON_PASSWORD');
      const token = await newParent('13900002003');
      const change = expectStatus(
        await platform.client(token).POST('/api/v1/auth/password', { body: { currentPassword: 'parent-password', newPassword: 'QWERTY123' } }),
        422,
      );
      expect(change.code).toBe('ACCOUNT.COMMON_PASSWORD');
    });

    it('lets the admin disable an account at once (tokens and login refused), audited, and enable it again', async () => {
      const parent = await newParent('13900002004');
      const me = expectStatus(await platform.client(parent).GET('/api/v1/me'), 200);
      const admin = platform.client(await loginAs(platform, ADMIN.username, ADMIN.password));
      expectStatus(await platform.client(parent).POST('/api/v1/users/{id}/disable', { params: { path: { id: me.id } }, body: { reason: 'x' } }), 403);
      expectStatus(await admin.POST('/api/v1/users/{id}/disable', { params: { path: { id: me.id } }, body: { reason: '账号被盗用' } }), 200);
      expectStatus(await platform.client(parent).GET('/api/v1/me'), 401);
      const login = expectStatus(await platform.client().POST('/api/v1/auth/login', { body: { username: '13900002004', password: 'parent-password' } }), 401);
      expect(login.code).toBe('AUTH.ACCOUNT_DISABLED');
      const audit = expectStatus(await admin.GET('/api/v1/audit', { params: { query: { targetId: me.id } } }), 200);
      expect(audit.items).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'user.disabled', reason: '账号被盗用' })]));
      expectStatus(await admin.POST('/api/v1/users/{id}/enable', { params: { path: { id: me.id } }, body: { reason: '核实后恢复' } }), 200);
      expectStatus(await platform.client(parent).GET('/api/v1/me'), 401);
      await loginAs(platform, '13900002004', 'parent-password');
    });

    it('throttles sign-ups for one name, so the 409 cannot enumerate accounts at speed', async () => {
      const statuses = [];
      for (let i = 0; i < 12; i++) {
        statuses.push(
          (await platform.client().POST('/api/v1/auth/parents', { body: { phone: '13900002005', password: 'parent-password', name: '王芳' } })).response.status,
        );
      }
      expect(statuses.slice(0, 10)).toEqual([201, ...Array(9).fill(409)]);
      expect(statuses.slice(10)).toEqual([429, 429]);
    });
  });

  describe.each([
    ['Redis', {}],
    ['PostgreSQL', { REDIS_URL: '' }],
  ])('auth limits shared by replicas (%s)', (_backend, overrides: Record<string, string>) => {
    let platform: TestPlatform;
    let replica: NestFastifyApplication;
    beforeAll(async () => {
      platform = await startPlatform({ ...overrides, AUTH_REQUESTS_PER_CLIENT_PER_MINUTE: '6', LOGIN_ATTEMPTS_PER_MINUTE: '3' });
      replica = await createApi(platform.environment, { logger: false });
      await replica.init();
      await replica.getHttpAdapter().getInstance().ready();
    });
    afterAll(async () => {
      await replica.close();
      await platform.close();
    });

    const attempt = async (api: 'first' | 'second', username: string) => {
      const client = api === 'first' ? platform.client() : createApiClient(replica);
      return (await client.POST('/api/v1/auth/login', { body: { username, password: 'wrong-password' } })).response.status;
    };

    it('counts one account across replicas, then one client address across accounts', async () => {
      const perAccount = [
        await attempt('first', 'shared-a'),
        await attempt('second', 'shared-a'),
        await attempt('first', 'shared-a'),
        await attempt('second', 'shared-a'),
      ];
      expect(perAccount).toEqual([401, 401, 401, 429]);
      // The address has made 4 attempts; two more on other accounts pass, the 7th is refused.
      const perClient = [await attempt('second', 'shared-b'), await attempt('first', 'shared-c'), await attempt('second', 'shared-d')];
      expect(perClient).toEqual([401, 401, 429]);
    });
  });
});
