import { DataSource } from 'typeorm';
import { ADMIN, TestPlatform, loginAs, startPlatform } from '../support/platform';
import { createRegulator, newInstitution, signUpInstitution } from '../support/factories';

describe('national divisions and served districts (e2e)', () => {
  let platform: TestPlatform;
  let admin: string;
  let owner: string;
  let regulator: string;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const post = (path: string, token: string, body: object = {}) => platform.http().post(path).set(as(token)).send(body);
  const put = (path: string, token: string, body: object = {}) => platform.http().put(path).set(as(token)).send(body);
  const query = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => platform.api.get(DataSource).query(sql, params);

  beforeAll(async () => {
    platform = await startPlatform();
    admin = await loginAs(platform, ADMIN.username, ADMIN.password);
    owner = await signUpInstitution(platform, 'owner');
    regulator = await createRegulator(platform, admin, 'changsha', '430100', '长沙市教育局');
  });
  afterAll(() => platform?.close());

  describe('the national list', () => {
    it('holds every county-level district, municipalities and 省直辖县 included, each under a real parent', async () => {
      const [{ districts }] = await query<{ districts: number }>(`SELECT count(*)::int AS districts FROM divisions WHERE level = 'district'`);
      expect(districts).toBeGreaterThan(2800);
      const rows = await query(`SELECT code, name, level, parent_code AS "parentCode" FROM divisions WHERE code = ANY($1) ORDER BY code`, [
        ['110000', '110100', '110101', '429004', '430100', '430104', '441900', '500100', '500200', '500229'],
      ]);
      expect(rows).toEqual([
        { code: '110000', name: '北京市', level: 'province', parentCode: null },
        { code: '110100', name: '北京市', level: 'city', parentCode: '110000' },
        { code: '110101', name: '东城区', level: 'district', parentCode: '110100' },
        { code: '429004', name: '仙桃市', level: 'district', parentCode: '420000' },
        { code: '430100', name: '长沙市', level: 'city', parentCode: '430000' },
        { code: '430104', name: '岳麓区', level: 'district', parentCode: '430100' },
        { code: '441900', name: '东莞市', level: 'city', parentCode: '440000' },
        { code: '500100', name: '重庆市', level: 'city', parentCode: '500000' },
        { code: '500200', name: '重庆市（县）', level: 'city', parentCode: '500000' },
        { code: '500229', name: '城口县', level: 'district', parentCode: '500200' },
      ]);
      // Statistics-only codes (development zones) are not GB/T 2260 divisions.
      expect(await query(`SELECT code FROM divisions WHERE code = '130171'`)).toEqual([]);
      // Every district hangs under a city, or under its province only when it has no city (省直辖县).
      const orphans = await query(
        `SELECT d.code FROM divisions d JOIN divisions p ON p.code = d.parent_code WHERE d.level = 'district' AND p.level = 'province' AND substr(d.code, 3, 2) <> '90'`,
      );
      expect(orphans).toEqual([]);
    });

    it('keeps the served districts and cities, under the same names', async () => {
      const served = await query(`SELECT s.code FROM districts s JOIN divisions d ON d.code = s.code AND d.name = s.name`);
      expect(served).toHaveLength(12);
    });

    it('browses the list publicly, page by page, marking what the platform serves', async () => {
      const provinces = await platform.http().get('/api/v1/divisions').expect(200);
      expect(provinces.body).toMatchObject({ total: 31, page: 1, pageSize: 20 });
      expect(provinces.body.items[0]).toEqual({ code: '110000', name: '北京市', level: 'province', parentCode: null, served: false });

      const changsha = await platform.http().get('/api/v1/divisions?parentCode=430100&pageSize=100').expect(200);
      expect(changsha.body.items).toEqual(expect.arrayContaining([{ code: '430104', name: '岳麓区', level: 'district', parentCode: '430100', served: true }]));
      expect(changsha.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ code: '430112', name: '望城区', served: false })]));

      const found = await platform
        .http()
        .get(`/api/v1/divisions?q=${encodeURIComponent('岳麓')}`)
        .expect(200);
      expect(found.body.items.map((item: { code: string }) => item.code)).toEqual(['430104']);

      const page2 = await platform.http().get('/api/v1/divisions?level=district&page=2&pageSize=5').expect(200);
      expect(page2.body.total).toBeGreaterThan(2800);
      expect(page2.body.items).toHaveLength(5);

      const bad = await platform.http().get('/api/v1/divisions?parentCode=43&pageSize=500').expect(400);
      expect(bad.body.code).toBe('VALIDATION.FAILED');
    });
  });

  describe('institutions and served districts', () => {
    it('refuses an unknown code as UNKNOWN_DISTRICT, on creation (422) and on serving (404)', async () => {
      const created = await post('/api/v1/institutions', owner, newInstitution({ districtCode: '430199' })).expect(422);
      expect(created.body).toMatchObject({ code: 'REFERENCE.UNKNOWN_DISTRICT', errors: [expect.objectContaining({ field: 'districtCode' })] });
      // A city is not a district an institution can be in.
      expect((await post('/api/v1/institutions', owner, newInstitution({ districtCode: '430100' })).expect(422)).body.code).toBe('REFERENCE.UNKNOWN_DISTRICT');

      expect((await put('/api/v1/districts/430199', admin).expect(404)).body.code).toBe('REFERENCE.UNKNOWN_DISTRICT');
      expect((await put('/api/v1/districts/not-a-code', admin).expect(404)).body.code).toBe('REFERENCE.UNKNOWN_DISTRICT');
      expect((await put('/api/v1/districts/430000', admin).expect(422)).body.code).toBe('REFERENCE.NOT_SERVABLE');
    });

    it('refuses a real but unserved district until the admin serves it, with its city', async () => {
      const draft = newInstitution({ districtCode: '110101', address: '北京市东城区东长安街 1 号' });
      const refused = await post('/api/v1/institutions', owner, draft).expect(422);
      expect(refused.body).toMatchObject({ code: 'REFERENCE.DISTRICT_NOT_SERVED', districtCode: '110101', districtName: '东城区' });
      expect(refused.body.detail).toContain('东城区');

      expect((await put('/api/v1/districts/110101', regulator).expect(403)).body.code).toBe('AUTH.FORBIDDEN');
      await platform.http().put('/api/v1/districts/110101').send({}).expect(401);

      const served = await put('/api/v1/districts/110101', admin, { nameEn: 'Dongcheng' }).expect(200);
      expect(served.body).toEqual({
        district: { code: '110101', name: '东城区', nameEn: 'Dongcheng', cityCode: '110100', province: '北京市' },
        added: ['110100', '110101'],
      });
      const again = await put('/api/v1/districts/110101', admin).expect(200);
      expect(again.body).toEqual({ district: served.body.district, added: [] });

      const districts = await platform.http().get('/api/v1/districts').expect(200);
      expect(districts.body).toEqual(
        expect.arrayContaining([
          { code: '110100', name: '北京市', nameEn: '北京市', cityCode: null, province: '北京市' },
          { code: '110101', name: '东城区', nameEn: 'Dongcheng', cityCode: '110100', province: '北京市' },
        ]),
      );
      const audit = await platform.http().get('/api/v1/audit?targetId=110101').set(as(admin)).expect(200);
      expect(audit.body.items).toEqual([expect.objectContaining({ action: 'district.served', actorRole: 'admin', districtCode: '110101' })]);
      const cityAudit = await platform.http().get('/api/v1/audit?targetId=110100').set(as(admin)).expect(200);
      expect(cityAudit.body.items).toEqual([expect.objectContaining({ action: 'district.served', targetType: 'district' })]);

      const accepted = await post('/api/v1/institutions', owner, draft).expect(201);
      expect(accepted.body).toMatchObject({ districtCode: '110101', status: 'draft' });
    });

    it('serves a district of a served city without touching the city, and a 省直辖县 as its own city', async () => {
      const wangcheng = await put('/api/v1/districts/430112', admin).expect(200);
      expect(wangcheng.body).toEqual({
        district: { code: '430112', name: '望城区', nameEn: '望城区', cityCode: '430100', province: '湖南省' },
        added: ['430112'],
      });
      await post('/api/v1/institutions', owner, newInstitution({ districtCode: '430112' })).expect(201);

      const xiantao = await put('/api/v1/districts/429004', admin, { nameEn: 'Xiantao' }).expect(200);
      expect(xiantao.body).toEqual({
        district: { code: '429004', name: '仙桃市', nameEn: 'Xiantao', cityCode: '429004', province: '湖北省' },
        added: ['429004'],
      });
      await post('/api/v1/institutions', owner, newInstitution({ districtCode: '429004' })).expect(201);
    });
  });
});
