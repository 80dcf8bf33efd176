import { Clock } from '@app/core';
import { InstitutionsService } from '@app/registry';
import { ADMIN, TestPlatform, loginAs, startPlatform } from '../support/platform';
import { createRegulator, newInstitution, openSubjectApprovals, signUpInstitution } from '../support/factories';

/**
 * The authorization matrix of the registry and public endpoints (docs/openapi.json, tags "Public" and "Registry"):
 * every endpoint × every kind of caller, one row each, asserting the HTTP status.
 *
 *   401  anonymous, where a login is needed
 *   403  a role the route is not open to
 *   404  the right role, out of scope (another district, another city, another owner)
 *   2xx  the right caller in scope
 *
 * A row that would change state acts on an institution of its own, built in beforeAll in the state
 * from which the action succeeds — so a caller let through by mistake shows up as a 2xx in its own
 * row and never disturbs another row. Read-only rows share one licensed Yuelu institution.
 */

const CALLERS = ['anonymous', 'admin', 'yuelu', 'furong', 'changsha', 'liangxi', 'owner', 'otherOwner', 'parent', 'bank'] as const;
type Caller = (typeof CALLERS)[number];

/** The state an institution must be in for the endpoint's success row to succeed. */
type Needs = 'draft' | 'submitted' | 'licensed' | 'suspended' | 'frozen' | 'expired';

interface Endpoint {
  name: string;
  method: 'get' | 'post' | 'patch' | 'put';
  path: (id: string) => string;
  body?: () => object;
  /** Callers of the right role and in scope, and the status they get. */
  allowed: readonly Caller[];
  ok: number;
  /** Callers of the right role out of scope: 404. */
  outOfScope?: readonly Caller[];
  /** No login needed: every caller, anonymous included, is allowed. */
  public?: boolean;
  /** Changes state: every row gets its own institution in this state. Absent: the shared fixture. */
  needs?: Needs;
  /** An extra check on a successful answer (beyond its status). */
  check?: (body: any, caller: Caller) => void;
}

const REGULATORS_IN_SCOPE: readonly Caller[] = ['yuelu', 'changsha'];
const REGULATORS_OUT_OF_SCOPE: readonly Caller[] = ['furong', 'liangxi'];
const reason = () => ({ reason: '授权矩阵测试' });

/** Who sees the fixture in their list: the admin, the regulators whose scope holds Yuelu, its owner. */
const SEES_FIXTURE: readonly Caller[] = ['admin', 'yuelu', 'changsha', 'owner'];

describe('registry authorization matrix (e2e)', () => {
  let platform: TestPlatform;
  const tokens = {} as Record<Exclude<Caller, 'anonymous' | 'bank'>, string>;
  let bankKey: string;
  let fixture: { id: string; name: string; licenceNumber: string };
  const targets = new Map<string, string>();

  const FIXTURE_NAME = '博雅授权矩阵艺术中心';

  const ENDPOINTS: Endpoint[] = [
    // Registry
    {
      name: 'POST /institutions',
      method: 'post',
      path: () => '/api/v1/institutions',
      body: () => newInstitution({ category: 'non_subject' }),
      allowed: ['owner', 'otherOwner'],
      ok: 201,
    },
    {
      name: 'GET /institutions',
      method: 'get',
      path: () => `/api/v1/institutions?q=${encodeURIComponent(FIXTURE_NAME)}`,
      allowed: ['admin', 'yuelu', 'furong', 'changsha', 'liangxi', 'owner', 'otherOwner'],
      ok: 200,
      // A list is never 404: scope shows as what it holds.
      check: (body, caller) => expect(body.items.map((item: { id: string }) => item.id)).toEqual(SEES_FIXTURE.includes(caller) ? [fixture.id] : []),
    },
    {
      name: 'GET /institutions/:id',
      method: 'get',
      path: (id) => `/api/v1/institutions/${id}`,
      allowed: ['admin', ...REGULATORS_IN_SCOPE, 'owner'],
      ok: 200,
      outOfScope: [...REGULATORS_OUT_OF_SCOPE, 'otherOwner'],
      check: (body) => expect(body).toMatchObject({ id: fixture.id, history: expect.any(Array) }),
    },
    {
      name: 'PATCH /institutions/:id',
      method: 'patch',
      path: (id) => `/api/v1/institutions/${id}`,
      body: () => ({ capacity: 150 }),
      allowed: ['owner'],
      ok: 200,
      outOfScope: ['otherOwner'],
      needs: 'draft',
    },
    {
      name: 'POST /institutions/:id/submit',
      method: 'post',
      path: (id) => `/api/v1/institutions/${id}/submit`,
      allowed: ['owner'],
      ok: 200,
      outOfScope: ['otherOwner'],
      needs: 'draft',
    },
    {
      name: 'POST /institutions/:id/review',
      method: 'post',
      path: (id) => `/api/v1/institutions/${id}/review`,
      body: () => ({ decision: 'approve', reason: '材料齐全' }),
      allowed: REGULATORS_IN_SCOPE,
      ok: 200,
      outOfScope: REGULATORS_OUT_OF_SCOPE,
      needs: 'submitted',
      check: (body) => expect(body.status).toBe('licensed'),
    },
    ...(['suspend', 'reinstate', 'revoke', 'freeze', 'unfreeze', 'renew'] as const).map((action): Endpoint => ({
      name: `POST /institutions/:id/${action}`,
      method: 'post',
      path: (id) => `/api/v1/institutions/${id}/${action}`,
      body: reason,
      allowed: REGULATORS_IN_SCOPE,
      ok: 200,
      outOfScope: REGULATORS_OUT_OF_SCOPE,
      needs: ({ suspend: 'licensed', reinstate: 'suspended', revoke: 'suspended', freeze: 'licensed', unfreeze: 'frozen', renew: 'expired' } as const)[action],
      check: (body) =>
        expect(body).toMatchObject(
          (
            {
              suspend: { status: 'suspended' },
              reinstate: { status: 'licensed' },
              revoke: { status: 'revoked' },
              freeze: { frozen: true },
              unfreeze: { frozen: false },
              renew: { status: 'licensed' },
            } as const
          )[action],
        ),
    })),
    {
      name: 'POST /institutions/:id/close',
      method: 'post',
      path: (id) => `/api/v1/institutions/${id}/close`,
      body: reason,
      allowed: [...REGULATORS_IN_SCOPE, 'owner'],
      ok: 200,
      outOfScope: [...REGULATORS_OUT_OF_SCOPE, 'otherOwner'],
      needs: 'licensed',
      check: (body) => expect(body.status).toBe('closed'),
    },
    {
      name: 'POST /institutions/:id/courses',
      method: 'post',
      path: (id) => `/api/v1/institutions/${id}/courses`,
      body: () => ({ name: '少儿创意美术', subject: '美术', sizeBand: '10-35', lessonMinutes: 45, lessonPriceFen: 8000 }),
      allowed: ['owner'],
      ok: 201,
      outOfScope: ['otherOwner'],
      needs: 'licensed',
    },
    {
      name: 'POST /institutions/:id/teachers',
      method: 'post',
      path: (id) => `/api/v1/institutions/${id}/teachers`,
      body: () => ({ name: '王老师', fullTime: true, subjects: ['美术'] }),
      allowed: ['owner'],
      ok: 201,
      outOfScope: ['otherOwner'],
      needs: 'licensed',
    },
    {
      name: 'GET /districts/430104/policy',
      method: 'get',
      path: () => '/api/v1/districts/430104/policy',
      allowed: ['admin', 'yuelu', 'furong', 'changsha', 'liangxi', 'owner', 'otherOwner', 'parent', 'bank'],
      ok: 200,
    },
    // Writing a default back: the same body for every row, so the rows cannot disturb each other.
    {
      name: 'PUT /districts/430104/policy',
      method: 'put',
      path: () => '/api/v1/districts/430104/policy',
      body: () => ({ settlementCycle: 'weekly' }),
      allowed: REGULATORS_IN_SCOPE,
      ok: 200,
      outOfScope: REGULATORS_OUT_OF_SCOPE,
    },
    // The city's policy, which its districts inherit: only the city's regulator, not one of its districts'.
    {
      name: 'PUT /districts/430100/policy',
      method: 'put',
      path: () => '/api/v1/districts/430100/policy',
      body: () => ({ settlementCycle: 'weekly' }),
      allowed: ['changsha'],
      ok: 200,
      outOfScope: ['yuelu', 'furong', 'liangxi'],
    },
    // Public
    {
      name: 'GET /public/institutions?q=',
      method: 'get',
      path: () => `/api/v1/public/institutions?q=${encodeURIComponent('矩阵')}`,
      allowed: CALLERS,
      ok: 200,
      public: true,
      check: (body) => expect(body.items).toEqual([expect.objectContaining({ id: fixture.id, list: 'white' })]),
    },
    {
      name: 'GET /public/institutions/:id',
      method: 'get',
      path: (id) => `/api/v1/public/institutions/${id}`,
      allowed: CALLERS,
      ok: 200,
      public: true,
      check: (body) => expect(body).toMatchObject({ id: fixture.id, escrowSupervised: true }),
    },
    {
      name: 'GET /public/licences/:number',
      method: 'get',
      path: () => `/api/v1/public/licences/${fixture.licenceNumber}`,
      allowed: CALLERS,
      ok: 200,
      public: true,
      check: (body) => expect(body).toMatchObject({ id: fixture.id }),
    },
  ];

  function expected(endpoint: Endpoint, caller: Caller): number {
    if (endpoint.allowed.includes(caller)) return endpoint.ok;
    if (caller === 'anonymous') return 401;
    if (endpoint.outOfScope?.includes(caller)) return 404;
    return 403;
  }

  const ROWS = ENDPOINTS.flatMap((endpoint) => CALLERS.map((caller) => ({ endpoint: endpoint.name, caller, status: expected(endpoint, caller) })));
  const endpointNamed = (name: string) => ENDPOINTS.find((endpoint) => endpoint.name === name)!;
  const targetKey = (endpoint: string, caller: Caller) => `${endpoint} as ${caller}`;

  function headers(caller: Caller): Record<string, string> {
    if (caller === 'anonymous') return {};
    if (caller === 'bank') return { 'X-Api-Key': bankKey };
    return { Authorization: `Bearer ${tokens[caller]}` };
  }

  const post = (path: string, caller: Caller, body: object = {}) => platform.http().post(path).set(headers(caller)).send(body);

  async function account(kind: 'institution' | 'regulator' | 'parent', username: string, districtCode?: string): Promise<string> {
    if (kind === 'institution') return signUpInstitution(platform, username);
    if (kind === 'regulator') return createRegulator(platform, tokens.admin, username, districtCode!);
    await platform.http().post('/api/v1/auth/parents').send({ phone: username, password: 'password-1', name: '家长' }).expect(201);
    return loginAs(platform, username, 'password-1');
  }

  /** A Yuelu institution owned by `owner`, brought to `state` through the API. */
  async function institutionIn(state: Exclude<Needs, 'expired'>, overrides: Record<string, unknown> = {}): Promise<string> {
    const { body } = await post('/api/v1/institutions', 'owner', newInstitution({ category: 'non_subject', ...overrides })).expect(201);
    if (state === 'draft') return body.id;
    await post(`/api/v1/institutions/${body.id}/submit`, 'owner').expect(200);
    if (state === 'submitted') return body.id;
    await post(`/api/v1/institutions/${body.id}/review`, 'yuelu', { decision: 'approve', reason: '材料齐全' }).expect(200);
    if (state === 'suspended') await post(`/api/v1/institutions/${body.id}/suspend`, 'yuelu', reason()).expect(200);
    if (state === 'frozen') await post(`/api/v1/institutions/${body.id}/freeze`, 'yuelu', reason()).expect(200);
    return body.id;
  }

  /** Builds `work` items a few at a time (the API has a small connection pool). */
  async function inBatches<T>(items: T[], work: (item: T) => Promise<void>, size = 6): Promise<void> {
    for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
  }

  beforeAll(async () => {
    platform = await startPlatform();
    tokens.admin = await loginAs(platform, ADMIN.username, ADMIN.password);
    tokens.yuelu = await account('regulator', 'yuelu', '430104');
    tokens.furong = await account('regulator', 'furong', '430102');
    tokens.changsha = await account('regulator', 'changsha', '430100');
    tokens.liangxi = await account('regulator', 'liangxi', '320213');
    await openSubjectApprovals(platform, tokens.yuelu);
    await openSubjectApprovals(platform, tokens.furong, '430102');
    tokens.owner = await account('institution', 'owner');
    tokens.otherOwner = await account('institution', 'other-owner');
    tokens.parent = await account('parent', '13600000001');
    bankKey = (await post('/api/v1/bank-clients', 'admin', { name: '岳麓监管银行', districtCode: '430104' }).expect(201)).body.apiKey;
    expect(bankKey).toEqual(expect.any(String));

    const stateful = ENDPOINTS.filter((endpoint) => endpoint.needs);
    const jobs = stateful.flatMap((endpoint) => CALLERS.map((caller) => ({ key: targetKey(endpoint.name, caller), needs: endpoint.needs! })));

    // Expired licences first, while they are the only licensed ones: the real expiry job, run with the
    // clock moved past their validity, is the only way into `expired`.
    await inBatches(
      jobs.filter((job) => job.needs === 'expired'),
      async (job) => void targets.set(job.key, await institutionIn('licensed')),
    );
    const clock = platform.api.get(Clock);
    const farFuture = new Date(clock.now().getTime() + 10 * 366 * 86_400_000);
    const spy = jest.spyOn(clock, 'now').mockReturnValue(farFuture);
    try {
      const expired = await platform.api.get(InstitutionsService).expireDue();
      expect(expired.sort()).toEqual(
        jobs
          .filter((job) => job.needs === 'expired')
          .map((job) => targets.get(job.key))
          .sort(),
      );
    } finally {
      spy.mockRestore();
    }

    await inBatches(
      jobs.filter((job) => job.needs !== 'expired'),
      async (job) => void targets.set(job.key, await institutionIn(job.needs as Exclude<Needs, 'expired'>)),
    );

    const fixtureId = await institutionIn('licensed', { name: FIXTURE_NAME });
    const record = await platform.http().get(`/api/v1/institutions/${fixtureId}`).set(headers('owner')).expect(200);
    fixture = { id: fixtureId, name: FIXTURE_NAME, licenceNumber: record.body.licence.number };
  }, 300_000);
  afterAll(() => platform?.close());

  it('covers every endpoint with every caller', () => {
    expect(ROWS).toHaveLength(ENDPOINTS.length * CALLERS.length);
    expect(new Set(ENDPOINTS.map((endpoint) => endpoint.name)).size).toBe(ENDPOINTS.length);
    // Only the public lookup answers anonymous callers.
    for (const endpoint of ENDPOINTS) expect(expected(endpoint, 'anonymous') === 401).toBe(!endpoint.public);
  });

  it.each(ROWS)('$endpoint as $caller → $status', async ({ endpoint: name, caller, status }) => {
    const endpoint = endpointNamed(name);
    const id = endpoint.needs ? targets.get(targetKey(name, caller))! : fixture.id;
    expect(id).toBeDefined();
    let call = platform.http()[endpoint.method](endpoint.path(id)).set(headers(caller));
    if (endpoint.body) call = call.send(endpoint.body());
    const response = await call;
    expect({ status: response.status, code: response.body?.code }).toEqual({ status, code: expectedCode(status) });
    if (status < 300) endpoint.check?.(response.body, caller);
  });
});

/** The problem code each refusal carries: the caller is told why, and nothing more. */
function expectedCode(status: number): string | undefined {
  return (
    ({ 401: 'AUTH.UNAUTHENTICATED', 403: 'AUTH.FORBIDDEN' } as Record<number, string>)[status] ??
    (status === 404 ? expect.stringMatching(/\.(NOT_FOUND|UNKNOWN_DISTRICT)$/) : undefined)
  );
}
