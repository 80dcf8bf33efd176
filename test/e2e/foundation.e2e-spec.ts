import { buildOpenApiDocumentOffline } from '../../apps/api/src/openapi/openapi-document';
import { expectStatus } from '../support/api-client';
import { ADMIN, TestPlatform, loginAs, startPlatform } from '../support/platform';

// Requests to the routes of the OpenAPI document go through the typed client (platform.client()); what the
// document does not describe (pages, /metrics, deliberately malformed or ill-typed bodies) through supertest.

describe('foundation (e2e)', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(() => platform?.close());

  it('answers liveness and readiness with the database and queue backend up', async () => {
    expect(expectStatus(await platform.client().GET('/health/live'), 200)).toEqual({ status: 'ok' });
    const ready = expectStatus(await platform.client().GET('/health/ready'), 200);
    expect(ready.info).toMatchObject({ database: { status: 'up' }, queue: { status: 'up', backend: 'redis' } });
  });

  it('sends the pages a content security policy without inline scripts or styles, that works over plain http', async () => {
    const page = await platform.http().get('/').expect(200);
    const policy = page.headers['content-security-policy'];
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("style-src 'self';");
    expect(policy).toContain("script-src-attr 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('upgrade-insecure-requests');
  });

  it('gives the OpenAPI UI a policy of its own: inline styles, still no inline scripts', async () => {
    const docs = await platform.http().get('/api/docs').redirects(1).expect(200);
    const policy = docs.headers['content-security-policy'];
    expect(policy).toContain("style-src 'self' 'unsafe-inline'");
    expect(policy).toContain("script-src 'self';");
  });

  it('serves the OpenAPI document with the accounts routes', async () => {
    const document = await platform.http().get('/api/docs-json').expect(200);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me', '/api/v1/calendar/{year}']));
  });

  it('serves the document npm run openapi builds offline (no database, no port) for docs/openapi.json', async () => {
    // Compared with the offline build of this process's code, not with the committed file: jest compiles
    // with swc, whose decorator metadata may differ from tsc's; the drift check of npm test compares the
    // committed file with the tsc build.
    const document = await platform.http().get('/api/docs-json').expect(200);
    expect(document.body).toEqual(JSON.parse(JSON.stringify(await buildOpenApiDocumentOffline())));
  });

  it('serves Prometheus metrics with the HTTP latency histogram and queue depths', async () => {
    await platform.http().get('/health/live');
    const metrics = await platform.http().get('/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket');
    expect(metrics.text).toMatch(/queue_jobs\{queue="notifications",state="waiting"\}/);
  });

  describe('problem answers', () => {
    it('maps an unknown route to a 404 problem', async () => {
      const response = await platform.http().get('/api/v1/nothing-here').expect(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });

    it('maps malformed JSON to a 400 problem', async () => {
      const response = await platform.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('{"username": ').expect(400);
      expect(response.body).toMatchObject({ code: 'REQUEST.MALFORMED_JSON' });
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('maps a huge body to a 413 problem', async () => {
      const response = await platform
        .http()
        .post('/api/v1/auth/login')
        .send({ username: 'x', password: 'y'.repeat(400_000) })
        .expect(413);
      expect(response.body).toMatchObject({ code: 'REQUEST.TOO_LARGE' });
    });

    it('refuses unknown fields, naming them', async () => {
      const response = await platform
        .http()
        .post('/api/v1/auth/parents')
        .send({ phone: '13812345678', password: 'long-enough', name: '王芳', admin: true })
        .expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION.UNKNOWN_FIELD', errors: [{ field: 'admin' }] });
    });

    it('refuses wrong types field by field', async () => {
      const response = await platform
        .http()
        .post('/api/v1/auth/parents')
        .send({ phone: 12345, password: ['x'], name: '' })
        .expect(400);
      expect(response.body.code).toBe('VALIDATION.FAILED');
      expect(response.body.errors.map((error: { field: string }) => error.field)).toEqual(expect.arrayContaining(['phone', 'password', 'name']));
    });

    it('refuses a JSON body that is not an object', async () => {
      const response = await platform.http().post('/api/v1/auth/login').set('content-type', 'application/json').send('[1,2]');
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    });
  });

  describe('accounts', () => {
    it('creates the admin from the environment and tells it who it is', async () => {
      const token = await loginAs(platform, ADMIN.username, ADMIN.password);
      const me = expectStatus(await platform.client(token).GET('/api/v1/me'), 200);
      expect(me).toMatchObject({ username: 'admin', role: 'admin', scope: { all: true } });
    });

    it('registers a parent by mobile number, masks it in the answer and refuses a second one', async () => {
      const parent = { phone: '13900001111', password: 'parent-password', name: '李娜' };
      const created = expectStatus(await platform.client().POST('/api/v1/auth/parents', { body: parent }), 201);
      expect(created).toMatchObject({ role: 'parent', phone: '139****1111' });
      expect(created).not.toHaveProperty('passwordHash');
      const again = expectStatus(await platform.client().POST('/api/v1/auth/parents', { body: parent }), 409);
      expect(again.code).toBe('ACCOUNT.USERNAME_TAKEN');
    });

    it('refuses a phone that is not a mainland mobile number', async () => {
      const response = expectStatus(
        await platform.client().POST('/api/v1/auth/parents', { body: { phone: '12900001111', password: 'parent-password', name: '李娜' } }),
        400,
      );
      expect(response.errors?.[0]).toMatchObject({ field: 'phone' });
    });

    it('refuses a wrong password with 401 and no token', async () => {
      const response = expectStatus(await platform.client().POST('/api/v1/auth/login', { body: { username: 'admin', password: 'wrong-password' } }), 401);
      expect(response).toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
      expect(response).not.toHaveProperty('accessToken');
    });

    it('lets only the admin create regulators, city-wide or for one district', async () => {
      const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
      const nobody = { username: 'nobody', password: 'password-1', name: 'x', districtCode: '430104' };
      expectStatus(await platform.client().POST('/api/v1/regulators', { body: nobody }), 401);
      const parent = await loginAs(platform, '13900001111', 'parent-password');
      expectStatus(await platform.client(parent).POST('/api/v1/regulators', { body: nobody }), 403);

      const api = platform.client(admin);
      expectStatus(
        await api.POST('/api/v1/regulators', { body: { username: 'changsha-city', password: 'password-1', name: '长沙市教育局', districtCode: '430100' } }),
        201,
      );
      const city = await loginAs(platform, 'changsha-city', 'password-1');
      const me = expectStatus(await platform.client(city).GET('/api/v1/me'), 200);
      expect(me.scope).toEqual({ districtCode: '430100', cityWide: true });

      const unknown = expectStatus(
        await api.POST('/api/v1/regulators', { body: { username: 'nowhere', password: 'password-1', name: 'x', districtCode: '999999' } }),
        422,
      );
      expect(unknown.code).toBe('REFERENCE.UNKNOWN_DISTRICT');
    });

    it('issues a bank API key once, stores it hashed, and accepts it as X-Api-Key', async () => {
      const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
      const created = expectStatus(await platform.client(admin).POST('/api/v1/bank-clients', { body: { name: '监管银行', districtCode: '430104' } }), 201);
      expect(created.apiKey).toMatch(/^bk_/);
      const me = expectStatus(await platform.client({ apiKey: created.apiKey }).GET('/api/v1/me'), 200);
      expect(me).toMatchObject({ role: 'bank', scope: { districtCode: '430104' } });
      expectStatus(await platform.client({ apiKey: 'bk_wrong' }).GET('/api/v1/me'), 401);
    });

    it('throttles repeated logins for one username', async () => {
      const attempts = [];
      for (let i = 0; i < 12; i++)
        attempts.push(
          (await platform.client().POST('/api/v1/auth/login', { body: { username: 'throttled-user', password: 'wrong-password' } })).response.status,
        );
      expect(attempts.slice(0, 10).every((status) => status === 401)).toBe(true);
      expect(attempts.slice(10)).toEqual([429, 429]);
    });
  });

  describe('audit', () => {
    it('records who created a regulator, in which request, and refuses to change the record', async () => {
      const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
      const api = platform.client(admin);
      const created = expectStatus(
        await api.POST('/api/v1/regulators', {
          headers: { 'x-request-id': 'req-audit-1' },
          body: { username: 'yuelu-reviewer', password: 'password-1', name: '岳麓区教育局', districtCode: '430104' },
        }),
        201,
      );
      const audit = expectStatus(await api.GET('/api/v1/audit', { params: { query: { targetId: created.id } } }), 200);
      expect(audit.items).toEqual([
        expect.objectContaining({ action: 'regulator.created', actorRole: 'admin', requestId: 'req-audit-1', districtCode: '430104' }),
      ]);

      const { DataSource } = await import('typeorm');
      const dataSource = platform.api.get(DataSource);
      await expect(dataSource.query(`UPDATE audit_log SET reason = 'x'`)).rejects.toThrow(/append-only/);
      await expect(dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    });

    it('scopes a district regulator to its own district', async () => {
      const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
      expectStatus(
        await platform
          .client(admin)
          .POST('/api/v1/regulators', { body: { username: 'furong-reviewer', password: 'password-1', name: '芙蓉区', districtCode: '430102' } }),
        201,
      );
      const furong = await loginAs(platform, 'furong-reviewer', 'password-1');
      const audit = expectStatus(await platform.client(furong).GET('/api/v1/audit'), 200);
      expect(audit.items.every((entry) => entry.districtCode === '430102')).toBe(true);
    });
  });

  describe('calendar', () => {
    it('serves a year and lets only the admin replace it', async () => {
      const year = expectStatus(await platform.client().GET('/api/v1/calendar/{year}', { params: { path: { year: 2026 } } }), 200);
      expect(year.workdays).toContain('2026-02-14');
      expect(year.holidays).toContain('2026-10-01');

      const regulator = await loginAs(platform, 'yuelu-reviewer', 'password-1');
      const in2027 = { params: { path: { year: 2027 } } };
      expectStatus(await platform.client(regulator).PUT('/api/v1/calendar/{year}', { ...in2027, body: { holidays: [], workdays: [] } }), 403);
      const admin = platform.client(await loginAs(platform, ADMIN.username, ADMIN.password));
      expectStatus(await admin.PUT('/api/v1/calendar/{year}', { ...in2027, body: { holidays: ['2027-01-01'], workdays: [] } }), 200);
      const saved = expectStatus(await platform.client().GET('/api/v1/calendar/{year}', in2027), 200);
      expect(saved.holidays).toEqual(['2027-01-01']);
      const bad = expectStatus(await admin.PUT('/api/v1/calendar/{year}', { ...in2027, body: { holidays: ['2026-01-01'], workdays: [] } }), 422);
      expect(bad.code).toBe('CALENDAR.DATE_OUTSIDE_YEAR');
      expectStatus(await platform.client().GET('/api/v1/calendar/{year}', { params: { path: { year: 1999 } } }), 404);
      // Not a number: ill-typed on purpose, so past the typed client.
      await platform.http().get('/api/v1/calendar/abc').expect(400);
    });
  });
});

describe('queue dashboard (e2e)', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(() => platform?.close());

  it('opens /admin/queues to the admin only, by a one-time code, listing every queue', async () => {
    await platform.http().get('/admin/queues').expect(404);
    expectStatus(await platform.client().POST('/api/v1/auth/parents', { body: { phone: '13500000009', password: 'parent-password', name: '家长' } }), 201);
    const parent = await loginAs(platform, '13500000009', 'parent-password');
    expectStatus(await platform.client(parent).POST('/api/v1/admin/queue-dashboard/codes'), 403);

    const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
    // The access token in the URL opens nothing any more.
    await platform.http().get(`/admin/queues?token=${admin}`).expect(404);
    const issued = expectStatus(await platform.client(admin).POST('/api/v1/admin/queue-dashboard/codes'), 201);
    expect(issued.url).toBe(`/admin/queues?code=${issued.code}`);
    const opened = await platform.http().get(issued.url).expect(302);
    const cookie = opened.headers['set-cookie'];
    expect(String(cookie)).toContain('HttpOnly');
    expect(String(cookie)).not.toContain(admin);
    await platform.http().get(issued.url).expect(404); // single use
    const page = await platform.http().get('/admin/queues').set('Cookie', cookie).expect(200);
    expect(page.text).toContain('<html');
    expect(page.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    const queues = await platform.http().get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
    expect(queues.body.queues.map((queue: { name: string }) => queue.name)).toEqual(
      expect.arrayContaining(['risk', 'settlement', 'confirmations', 'notifications']),
    );

    const late = expectStatus(await platform.client(admin).POST('/api/v1/admin/queue-dashboard/codes'), 201);
    platform.clock.advance(61_000);
    await platform.http().get(late.url).expect(404); // a minute old

    // Logging out ends the dashboard session too.
    expectStatus(await platform.client(admin).POST('/api/v1/auth/logout'), 200);
    await platform.http().get('/admin/queues').set('Cookie', cookie).expect(404);
  });
});
