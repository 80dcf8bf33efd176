import { usccCheckCharacter, USCC_CHARSET } from '@app/registry';
import divisions from '../../libs/core/src/reference/data/districts.json';

/**
 * A synthetic register that looks like a real one: Chinese names built from district names, brands,
 * subjects and suffixes; valid credit codes; mostly licensed, some suspended, revoked, expired, closed
 * or still applying. Deterministic (seeded), so two runs search the same data.
 */

export const DISTRICTS = divisions.districts.map((district) => {
  const city = divisions.cities.find((candidate) => candidate.code === district.city)!;
  return { code: district.code, name: district.name, short: district.name.replace(/区$/, ''), city: city.name, cityShort: city.name.replace(/市$/, '') };
});

const AREA_CODES: Record<string, string> = { '430100': '0731', '320200': '0510', '510100': '028', '510800': '0839' };

const BRANDS = [
  '新东方',
  '星辰',
  '启航',
  '博雅',
  '卓越',
  '明德',
  '育才',
  '智慧树',
  '小天才',
  '金话筒',
  '童画',
  '墨香',
  '翰林',
  '英才',
  '思源',
  '求知',
  '晨光',
  '阳光',
  '七彩',
  '未来星',
  '睿思',
  '博学',
  '知行',
  '乐学',
  '蓝天',
  '青苗',
  '优学',
  '名师',
  '书香',
  '致远',
  '弘毅',
  '格致',
  '励志',
  '东方启明',
  '京华',
  '华章',
  '新思维',
  '小状元',
  '创客',
  '梦想家',
];

/** Subjects with their category and the suffixes an institution teaching them tends to use. */
const SUBJECTS: { name: string; category: 'subject' | 'non_subject'; suffixes: string[] }[] = [
  ...['数学', '英语', '语文', '物理', '化学'].map((name) => ({
    name,
    category: 'subject' as const,
    suffixes: ['培训学校', '教育中心', '培训中心', '辅导学校'],
  })),
  ...['书法', '美术', '钢琴', '舞蹈', '声乐', '口才'].map((name) => ({
    name,
    category: 'non_subject' as const,
    suffixes: ['艺术中心', '艺术学校', '培训学校', '工作室'],
  })),
  ...['编程', '机器人', '科学'].map((name) => ({ name, category: 'non_subject' as const, suffixes: ['科技中心', '教育中心', '创客空间', '培训学校'] })),
  ...['围棋', '国际象棋'].map((name) => ({ name, category: 'non_subject' as const, suffixes: ['棋院', '培训中心', '俱乐部'] })),
  ...['跆拳道', '篮球', '足球', '游泳'].map((name) => ({ name, category: 'non_subject' as const, suffixes: ['体育俱乐部', '运动中心', '培训学校'] })),
];

const BRANCHES = ['梅溪湖', '麓谷', '五一广场', '万达', '河西', '东塘', '高新', '滨江', '南门', '北城', '大学城', '火车站', '体育馆', '湘江', '金融城', '中心'];
const ROADS = ['麓山南路', '枫林一路', '银盆岭路', '五一大道', '芙蓉中路', '劳动西路', '人民路', '解放路', '中山路', '建设路', '学院路', '新华路'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗'];
const GIVEN = ['明', '芳', '伟', '娜', '强', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '超', '霞', '平', '刚', '华'];

/** Status mix: cumulative thresholds over [0, 1). */
const STATUS_MIX: [number, string][] = [
  [0.82, 'licensed'],
  [0.86, 'suspended'],
  [0.89, 'revoked'],
  [0.93, 'expired'],
  [0.95, 'closed'],
  [0.98, 'draft'],
  [1.0, 'submitted'],
];
const HAS_LICENCE = new Set(['licensed', 'suspended', 'revoked', 'expired', 'closed']);

export interface Columns {
  name: string[];
  uscc: string[];
  districtCode: string[];
  address: string[];
  category: string[];
  delivery: string[];
  legalRepresentative: string[];
  premisesAreaM2: number[];
  capacity: number[];
  phone: string[];
  status: string[];
  frozen: boolean[];
  riskLevel: string[];
  licenceNumber: (string | null)[];
  licenceValidFrom: (string | null)[];
  licenceValidUntil: (string | null)[];
}

/** mulberry32: a small seeded PRNG, so the data set is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A nine-character organisation code, distinct for every i (i × a prime, mod 31⁹, in base 31). */
function organisationCode(i: number): string {
  let n = (i * 982_451_653 + 7_777_777) % 31 ** 9;
  let code = '';
  for (let k = 0; k < 9; k++) {
    code = USCC_CHARSET[n % 31] + code;
    n = Math.floor(n / 31);
  }
  return code;
}

export function generateInstitutions(count: number, today: string, seed = 20251): Columns {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  const counters = new Map<string, number>();
  const columns: Columns = {
    name: [],
    uscc: [],
    districtCode: [],
    address: [],
    category: [],
    delivery: [],
    legalRepresentative: [],
    premisesAreaM2: [],
    capacity: [],
    phone: [],
    status: [],
    frozen: [],
    riskLevel: [],
    licenceNumber: [],
    licenceValidFrom: [],
    licenceValidUntil: [],
  };

  for (let i = 0; i < count; i++) {
    const district = DISTRICTS[i % DISTRICTS.length];
    const brand = pick(BRANDS);
    const subject = pick(SUBJECTS);
    const core = `${brand}${subject.name}${pick(subject.suffixes)}`;
    const shape = random();
    const name = shape < 0.5 ? `${district.short}${core}` : shape < 0.8 ? `${core}（${pick(BRANCHES)}校区）` : `${district.cityShort}${core}`;

    const first17 = `${subject.category === 'subject' ? '52' : pick(['91', '92', '52'])}${district.code}${organisationCode(i)}`;
    const roll = random();
    const status = STATUS_MIX.find(([threshold]) => roll < threshold)?.[1] ?? 'licensed';

    let licenceNumber: string | null = null;
    let validFrom: string | null = null;
    let validUntil: string | null = null;
    if (HAS_LICENCE.has(status)) {
      // Live licences were issued within their three-year validity; expired ones before it.
      const issuedDaysAgo = status === 'expired' ? 1100 + Math.floor(random() * 900) : Math.floor(random() * 1090);
      const fromMs = todayMs - issuedDaysAgo * DAY;
      validFrom = isoDate(fromMs);
      validUntil = isoDate(fromMs + (3 * 365 - 1) * DAY);
      const year = validFrom.slice(0, 4);
      const key = `${district.code}-${year}`;
      const sequence = (counters.get(key) ?? 0) + 1;
      counters.set(key, sequence);
      licenceNumber = `${key}-${String(sequence).padStart(5, '0')}`;
    }

    columns.name.push(name);
    columns.uscc.push(first17 + usccCheckCharacter(first17));
    columns.districtCode.push(district.code);
    columns.address.push(`${district.city}${district.name}${pick(ROADS)}${1 + Math.floor(random() * 400)}号`);
    columns.category.push(subject.category);
    columns.delivery.push(random() < 0.9 ? 'offline' : 'online');
    columns.legalRepresentative.push(`${pick(SURNAMES)}${pick(GIVEN)}${random() < 0.5 ? pick(GIVEN) : ''}`);
    columns.premisesAreaM2.push(80 + Math.floor(random() * 1500));
    columns.capacity.push(20 + Math.floor(random() * 500));
    columns.phone.push(
      `${AREA_CODES[divisions.districts.find((d) => d.code === district.code)!.city]}-8${String(Math.floor(random() * 1e7)).padStart(7, '0')}`,
    );
    columns.status.push(status);
    columns.frozen.push((status === 'licensed' || status === 'suspended') && random() < 0.01);
    const risk = random();
    columns.riskLevel.push(risk < 0.9 ? 'green' : risk < 0.97 ? 'yellow' : 'red');
    columns.licenceNumber.push(licenceNumber);
    columns.licenceValidFrom.push(validFrom);
    columns.licenceValidUntil.push(validUntil);
  }
  return columns;
}

/** The licence counters the data set used, so a licence issued afterwards gets the next number. */
export function licenceCounters(columns: Columns): { districtCode: string; year: number; last: number }[] {
  const last = new Map<string, number>();
  for (const number of columns.licenceNumber) {
    if (!number) continue;
    const key = number.slice(0, 11);
    last.set(key, Math.max(last.get(key) ?? 0, Number(number.slice(12))));
  }
  return [...last].map(([key, value]) => ({ districtCode: key.slice(0, 6), year: Number(key.slice(7)), last: value }));
}
