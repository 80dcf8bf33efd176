/** The demo accounts `npm start` creates in an empty database; every one has the same password. */
export const DEMO_PASSWORD = 'demo-pass-1';

export const DEMO_LOGINS = [
  { role: 'regulator', username: 'yuelu-regulator', name: '岳麓区教育局 张老师', districtCode: '430104', note: 'Yuelu district' },
  { role: 'regulator', username: 'changsha-regulator', name: '长沙市教育局 刘老师', districtCode: '430100', note: 'all of Changsha' },
  { role: 'regulator', username: 'liangxi-regulator', name: '梁溪区教育局 陈老师', districtCode: '320213', note: 'Liangxi, Wuxi' },
  { role: 'regulator', username: 'chengdu-regulator', name: '成都市教育局 杨老师', districtCode: '510100', note: 'all of Chengdu' },
  { role: 'regulator', username: 'guangyuan-regulator', name: '广元市教育局 何老师', districtCode: '510800', note: 'all of Guangyuan' },
  { role: 'institution', username: 'xingchen-edu', name: '周明', phone: '13874100001', note: 'owns the demo institutions' },
  { role: 'parent', username: '13800138000', name: '王芳', phone: '13800138000', note: 'a parent' },
] as const;
