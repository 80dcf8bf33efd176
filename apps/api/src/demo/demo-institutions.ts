import type { LicenceAction } from '@app/registry';

/** Where each demo institution is taken after it is created: the actions, in order. */
export type DemoPath =
  | 'draft'
  | 'submitted'
  | 'returned'
  | 'rejected'
  | 'licensed'
  | 'suspended'
  | 'enrolment_stopped'
  | 'revoked'
  | 'expired'
  | 'renewal_pending'
  | 'frozen'
  | 'closed';

export const DEMO_PATHS: Record<DemoPath, LicenceAction[]> = {
  draft: [],
  submitted: ['submit'],
  returned: ['submit', 'return'],
  rejected: ['submit', 'reject'],
  licensed: ['submit', 'approve'],
  frozen: ['submit', 'approve'],
  suspended: ['submit', 'approve', 'suspend'],
  enrolment_stopped: ['submit', 'approve', 'stop_enrolment'],
  revoked: ['submit', 'approve', 'suspend', 'revoke'],
  expired: ['submit', 'approve', 'expire'],
  // Approved for one year, 305 days ago: inside the 90 days in which the holder applies for renewal (it does, yesterday).
  renewal_pending: ['submit', 'approve'],
  closed: ['submit', 'approve', 'close'],
};

export const DEMO_INSTITUTIONS: Array<{
  name: string;
  districtCode: string;
  category: 'subject' | 'non_subject';
  delivery: 'offline' | 'online';
  path: DemoPath;
  subject: string;
}> = [
  { name: '新东方培训学校岳麓校区', districtCode: '430104', category: 'subject', delivery: 'offline', path: 'licensed', subject: '外语' },
  { name: '星辰数学培训学校', districtCode: '430104', category: 'subject', delivery: 'offline', path: 'licensed', subject: '数学' },
  { name: '麓山书法艺术中心', districtCode: '430104', category: 'non_subject', delivery: 'offline', path: 'licensed', subject: '书法' },
  { name: '岳麓少儿编程科技馆', districtCode: '430104', category: 'non_subject', delivery: 'offline', path: 'frozen', subject: '编程' },
  { name: '湘江语文学堂', districtCode: '430104', category: 'subject', delivery: 'offline', path: 'closed', subject: '语文' },
  { name: '梅溪湖物理补习社', districtCode: '430104', category: 'subject', delivery: 'offline', path: 'revoked', subject: '物理' },
  { name: '后湖美术工作室', districtCode: '430104', category: 'non_subject', delivery: 'offline', path: 'expired', subject: '美术' },
  { name: '桔子洲英语在线课堂', districtCode: '430104', category: 'subject', delivery: 'online', path: 'submitted', subject: '外语' },
  { name: '芙蓉围棋道场', districtCode: '430102', category: 'non_subject', delivery: 'offline', path: 'licensed', subject: '围棋' },
  { name: '芙蓉化学辅导中心', districtCode: '430102', category: 'subject', delivery: 'offline', path: 'returned', subject: '化学' },
  { name: '天心舞蹈艺术学校', districtCode: '430103', category: 'non_subject', delivery: 'offline', path: 'renewal_pending', subject: '舞蹈' },
  { name: '天心奥数培训学校', districtCode: '430103', category: 'subject', delivery: 'offline', path: 'rejected', subject: '数学' },
  { name: '开福篮球训练营', districtCode: '430105', category: 'non_subject', delivery: 'offline', path: 'licensed', subject: '篮球' },
  { name: '开福作文培训学校', districtCode: '430105', category: 'subject', delivery: 'offline', path: 'closed', subject: '语文' },
  { name: '雨花钢琴艺术中心', districtCode: '430111', category: 'non_subject', delivery: 'offline', path: 'licensed', subject: '钢琴' },
  { name: '雨花初中数学在线', districtCode: '430111', category: 'subject', delivery: 'online', path: 'enrolment_stopped', subject: '数学' },
  { name: '梁溪科创机器人中心', districtCode: '320213', category: 'non_subject', delivery: 'offline', path: 'licensed', subject: '机器人' },
  { name: '梁溪英语培训学校', districtCode: '320213', category: 'subject', delivery: 'offline', path: 'suspended', subject: '外语' },
  { name: '梁溪游泳俱乐部', districtCode: '320213', category: 'non_subject', delivery: 'offline', path: 'draft', subject: '游泳' },
  { name: '龙泉驿美术培训学校', districtCode: '510112', category: 'non_subject', delivery: 'offline', path: 'licensed', subject: '美术' },
  { name: '龙泉驿数学学校', districtCode: '510112', category: 'subject', delivery: 'offline', path: 'expired', subject: '数学' },
  { name: '利州音乐艺术学校', districtCode: '510802', category: 'non_subject', delivery: 'offline', path: 'licensed', subject: '音乐' },
  { name: '利州英语培训中心', districtCode: '510802', category: 'subject', delivery: 'offline', path: 'revoked', subject: '外语' },
  { name: '利州跆拳道馆', districtCode: '510802', category: 'non_subject', delivery: 'offline', path: 'submitted', subject: '跆拳道' },
];
