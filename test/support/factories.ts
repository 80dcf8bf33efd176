import { randomInt } from 'node:crypto';
import { USCC_CHARSET, usccCheckCharacter } from '@app/registry';
import { TestPlatform, loginAs } from './platform';

/** A valid unified social credit code for a district: 52 (non-profit civil organisation), the district, a random organisation code. */
export function newUscc(districtCode = '430104'): string {
  const organisation = Array.from({ length: 9 }, () => USCC_CHARSET[randomInt(USCC_CHARSET.length)]).join('');
  const first17 = `52${districtCode}${organisation}`;
  return first17 + usccCheckCharacter(first17);
}

export function newInstitution(overrides: Record<string, unknown> = {}) {
  const districtCode = (overrides.districtCode as string) ?? '430104';
  return {
    name: `星辰教育培训学校${randomInt(100000)}`,
    uscc: newUscc(districtCode),
    districtCode,
    address: '长沙市岳麓区麓山南路 1 号',
    category: 'subject',
    delivery: 'offline',
    legalRepresentative: '周明',
    premisesAreaM2: 320,
    capacity: 120,
    phone: '0731-88881234',
    ...overrides,
  };
}

/**
 * 双减: a district grants subject-training licences only once its regulator opens them
 * (`subjectApprovalsOpen`, closed by default). A fixture that approves a subject institution calls this
 * first, with a regulator of that district.
 */
export async function openSubjectApprovals(platform: Pick<TestPlatform, 'http'>, regulatorToken: string, districtCode = '430104'): Promise<void> {
  await platform
    .http()
    .put(`/api/v1/districts/${districtCode}/policy`)
    .set({ Authorization: `Bearer ${regulatorToken}` })
    .send({ subjectApprovalsOpen: true })
    .expect(200);
}

const PASSWORD = 'password-1';

/** An institution account signed up (anyone may) and logged in: its bearer token. */
export async function signUpInstitution(platform: TestPlatform, username: string, contact = { contactName: '周明', phone: '13874100001' }): Promise<string> {
  await platform
    .http()
    .post('/api/v1/auth/institution-accounts')
    .send({ username, password: PASSWORD, ...contact })
    .expect(201);
  return loginAs(platform, username, PASSWORD);
}

/** A regulator of `districtCode` (a city's code: the whole city) made by the admin and logged in: its bearer token. */
export async function createRegulator(platform: TestPlatform, adminToken: string, username: string, districtCode: string, name = username): Promise<string> {
  await platform
    .http()
    .post('/api/v1/regulators')
    .set({ Authorization: `Bearer ${adminToken}` })
    .send({ username, password: PASSWORD, name, districtCode })
    .expect(201);
  return loginAs(platform, username, PASSWORD);
}
