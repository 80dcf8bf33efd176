import { expectStatus } from '../support/api-client';
import { TestPlatform, startPlatform } from '../support/platform';
import { TuitionWorld } from '../support/tuition-world';

/**
 * The admin runs the platform, not its cases: contracts, lessons and complaints (pupils' names, parents'
 * words) are refused to it, while the regulator of the district still reads them (docs/decisions.md, "Security").
 */
describe('least privilege: the admin and personal data', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let contractId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    world = await new TuitionWorld(platform).init();
    const school = await world.school();
    const parent = await world.parent();
    contractId = await world.paidContract(parent, school);
    await world.recordLesson(school, [contractId]).expect(201);
    expectStatus(
      await platform.client(parent).POST('/api/v1/complaints', {
        body: { institutionId: school.institutionId, category: 'other', description: '老师经常迟到，家长多次反映无果。', contractId },
      }),
      201,
    );
  });
  afterAll(() => platform?.close());

  const reads = (token: string) => {
    const api = platform.client(token);
    return Promise.all([
      api.GET('/api/v1/contracts/{id}', { params: { path: { id: contractId } } }),
      api.GET('/api/v1/contracts', {}),
      api.GET('/api/v1/contracts/{id}/lessons', { params: { path: { id: contractId } } }),
      api.GET('/api/v1/consumptions', {}),
      api.GET('/api/v1/complaints', {}),
    ]).then((answers) => answers.map((answer) => answer.response.status));
  };

  it('refuses the admin every read of contracts, lessons and complaints', async () => {
    expect(await reads(world.admin)).toEqual([403, 403, 403, 403, 403]);
  });

  it('still lets the district’s regulator read them', async () => {
    expect(await reads(world.regulator)).toEqual([200, 200, 200, 200, 200]);
  });
});
