import { ADMIN, TestPlatform, loginAs, startPlatform } from '../support/platform';

describe('foundation (e2e)', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(() => platform?.close());

  it('answers liveness and readiness with the database and queue backend up', async () => {
    await platform.http().get('/health/live').expect(200, { status: 'ok' });
    const ready = await platform.http().get('/health/ready').expect(200);
    expect(ready.body.info).toMatchObject({ database: { status: 'up' }, queue: { status: 'up', backend: 'redis' } });
  });

  it('sends a content security policy that keeps the pages working over plain http', async () => {
    const page = await platform.http().get('/').expect(200);
    const policy = page.headers['content-security-policy'];
    expect(policy).toContain("script-src 'self' 'unsafe-inline'");
    expect(policy).not.toContain('upgrade-insecure-requests');
  });

  it('serves the OpenAPI document with the accounts routes', async () => {
    const document = await platform.http().get('/api/docs-json').expect(200);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/me', '/api/v1/calendar/{year}']));
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
      const me = await platform.http().get('/api/v1/me').auth(token, { type: 'bearer' }).expect(200);
      expect(me.body).toMatchObject({ username: 'admin', role: 'admin', scope: { all: true } });
    });

    it('registers a parent by mobile number, masks it in the answer and refuses a second one', async () => {
      const created = await platform.http().post('/api/v1/auth/parents').send({ phone: '13900001111', password: 'parent-password', name: '李娜' }).expect(201);
      expect(created.body).toMatchObject({ role: 'parent', phone: '139****1111' });
      expect(created.body).not.toHaveProperty('passwordHash');
      const again = await platform.http().post('/api/v1/auth/parents').send({ phone: '13900001111', password: 'parent-password', name: '李娜' }).expect(409);
      expect(again.body.code).toBe('ACCOUNT.USERNAME_TAKEN');
    });

    it('refuses a phone that is not a mainland mobile number', async () => {
      const response = await platform.http().post('/api/v1/auth/parents').send({ phone: '12900001111', password: 'parent-password', name: '李娜' }).expect(400);
      expect(response.body.errors[0]).toMatchObject({ field: 'phone' });
    });

    it('refuses a wrong password with 401 and no token', async () => {
      const response = await platform.http().post('/api/v1/auth/login').send({ username: 'admin', password: 'wrong-password' }).expect(401);
      expect(response.body).toMatchObject({ code: 'AUTH.INVALID_CREDENTIALS' });
      expect(response.body).not.toHaveProperty('accessToken');
    });

    it('lets only the admin create regulators, city-wide or for one district', async () => {
      const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
      await platform.http().post('/api/v1/regulators').send({ username: 'nobody', password: 'password-1', name: 'x', districtCode: '430104' }).expect(401);
      const parent = await loginAs(platform, '13900001111', 'parent-password');
      await platform
        .http()
        .post('/api/v1/regulators')
        .auth(parent, { type: 'bearer' })
        .send({ username: 'nobody', password: 'password-1', name: 'x', districtCode: '430104' })
        .expect(403);

      await platform
        .http()
        .post('/api/v1/regulators')
        .auth(admin, { type: 'bearer' })
        .send({ username: 'changsha-city', password: 'password-1', name: '长沙市教育局', districtCode: '430100' })
        .expect(201);
      const city = await loginAs(platform, 'changsha-city', 'password-1');
      const me = await platform.http().get('/api/v1/me').auth(city, { type: 'bearer' }).expect(200);
      expect(me.body.scope).toEqual({ districtCode: '430100', cityWide: true });

      const unknown = await platform
        .http()
        .post('/api/v1/regulators')
        .auth(admin, { type: 'bearer' })
        .send({ username: 'nowhere', password: 'password-1', name: 'x', districtCode: '999999' })
        .expect(422);
      expect(unknown.body.code).toBe('REFERENCE.UNKNOWN_DISTRICT');
    });

    it('issues a bank API key once, stores it hashed, and accepts it as X-Api-Key', async () => {
      const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
      const created = await platform
        .http()
        .post('/api/v1/bank-clients')
        .auth(admin, { type: 'bearer' })
        .send({ name: '监管银行', districtCode: '430104' })
        .expect(201);
      expect(created.body.apiKey).toMatch(/^bk_/);
      const me = await platform.http().get('/api/v1/me').set('x-api-key', created.body.apiKey).expect(200);
      expect(me.body).toMatchObject({ role: 'bank', scope: { districtCode: '430104' } });
      await platform.http().get('/api/v1/me').set('x-api-key', 'bk_wrong').expect(401);
    });

    it('throttles repeated logins for one username', async () => {
      const attempts = [];
      for (let i = 0; i < 12; i++)
        attempts.push((await platform.http().post('/api/v1/auth/login').send({ username: 'throttled-user', password: 'wrong-password' })).status);
      expect(attempts.slice(0, 10).every((status) => status === 401)).toBe(true);
      expect(attempts.slice(10)).toEqual([429, 429]);
    });
  });

  describe('audit', () => {
    it('records who created a regulator, in which request, and refuses to change the record', async () => {
      const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
      const created = await platform
        .http()
        .post('/api/v1/regulators')
        .auth(admin, { type: 'bearer' })
        .set('x-request-id', 'req-audit-1')
        .send({ username: 'yuelu-reviewer', password: 'password-1', name: '岳麓区教育局', districtCode: '430104' })
        .expect(201);
      const audit = await platform.http().get(`/api/v1/audit?targetId=${created.body.id}`).auth(admin, { type: 'bearer' }).expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({ action: 'regulator.created', actorRole: 'admin', requestId: 'req-audit-1', districtCode: '430104' }),
      ]);

      const { DataSource } = await import('typeorm');
      const dataSource = platform.api.get(DataSource);
      await expect(dataSource.query(`UPDATE audit_log SET reason = 'x'`)).rejects.toThrow(/append-only/);
      await expect(dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
    });

    it('scopes a district regulator to its own district', async () => {
      const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
      await platform
        .http()
        .post('/api/v1/regulators')
        .auth(admin, { type: 'bearer' })
        .send({ username: 'furong-reviewer', password: 'password-1', name: '芙蓉区', districtCode: '430102' })
        .expect(201);
      const furong = await loginAs(platform, 'furong-reviewer', 'password-1');
      const audit = await platform.http().get('/api/v1/audit').auth(furong, { type: 'bearer' }).expect(200);
      expect(audit.body.items.every((entry: { districtCode: string }) => entry.districtCode === '430102')).toBe(true);
    });
  });

  describe('calendar', () => {
    it('serves a year and lets only the admin replace it', async () => {
      const year = await platform.http().get('/api/v1/calendar/2026').expect(200);
      expect(year.body.workdays).toContain('2026-02-14');
      expect(year.body.holidays).toContain('2026-10-01');

      const regulator = await loginAs(platform, 'yuelu-reviewer', 'password-1');
      await platform.http().put('/api/v1/calendar/2027').auth(regulator, { type: 'bearer' }).send({ holidays: [], workdays: [] }).expect(403);
      const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
      await platform
        .http()
        .put('/api/v1/calendar/2027')
        .auth(admin, { type: 'bearer' })
        .send({ holidays: ['2027-01-01'], workdays: [] })
        .expect(200);
      const saved = await platform.http().get('/api/v1/calendar/2027').expect(200);
      expect(saved.body.holidays).toEqual(['2027-01-01']);
      const bad = await platform
        .http()
        .put('/api/v1/calendar/2027')
        .auth(admin, { type: 'bearer' })
        .send({ holidays: ['2026-01-01'], workdays: [] })
        .expect(422);
      expect(bad.body.code).toBe('CALENDAR.DATE_OUTSIDE_YEAR');
      await platform.http().get('/api/v1/calendar/1999').expect(404);
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

  it('opens /admin/queues to the admin only, listing every queue', async () => {
    await platform.http().get('/admin/queues').expect(404);
    await platform.http().post('/api/v1/auth/parents').send({ phone: '13500000009', password: 'parent-password', name: '家长' }).expect(201);
    const parent = await loginAs(platform, '13500000009', 'parent-password');
    await platform.http().get(`/admin/queues?token=${parent}`).expect(404);

    const admin = await loginAs(platform, ADMIN.username, ADMIN.password);
    const opened = await platform.http().get(`/admin/queues?token=${admin}`).expect(302);
    const cookie = opened.headers['set-cookie'];
    expect(String(cookie)).toContain('HttpOnly');
    const page = await platform.http().get('/admin/queues').set('Cookie', cookie).expect(200);
    expect(page.text).toContain('<html');
    const queues = await platform.http().get('/admin/queues/api/queues').set('Cookie', cookie).expect(200);
    expect(queues.body.queues.map((queue: { name: string }) => queue.name)).toEqual(
      expect.arrayContaining(['risk', 'settlement', 'confirmations', 'notifications']),
    );
  });
});
