/** The demo parents besides the demo login's, each with a child enrolled in the demo district's schools. */
export const DEMO_PARENTS = [
  { phone: '13974100001', name: '李娜' },
  { phone: '13974100002', name: '张伟' },
  { phone: '13974100003', name: '刘洋' },
  { phone: '13974100004', name: '陈静' },
  { phone: '13974100005', name: '杨磊' },
  { phone: '13974100006', name: '赵敏' },
  { phone: '13974100007', name: '黄丽' },
  { phone: '13974100008', name: '周杰' },
] as const;

/**
 * The pupils of the history (docs/demo.md): which parent (index into DEMO_PARENTS, or
 * 'demo' for the demo login), the child, the school (index into the demo district's licensed schools
 * with courses) and the day the contract starts, in days before today. Each contract is twelve weekly
 * lessons over twelve weeks (within the three prepaid months of the default policy).
 */
export const DEMO_PUPILS: ReadonlyArray<{ parent: number | 'demo'; student: string; school: number; startsDaysAgo: number }> = [
  { parent: 0, student: '李子涵', school: 0, startsDaysAgo: 178 },
  { parent: 1, student: '张一诺', school: 1, startsDaysAgo: 171 },
  { parent: 2, student: '刘思源', school: 2, startsDaysAgo: 164 },
  { parent: 3, student: '陈雨桐', school: 0, startsDaysAgo: 150 },
  { parent: 4, student: '杨浩宇', school: 1, startsDaysAgo: 136 },
  { parent: 5, student: '赵梓萱', school: 2, startsDaysAgo: 122 },
  { parent: 6, student: '黄俊杰', school: 0, startsDaysAgo: 108 },
  { parent: 7, student: '周欣怡', school: 1, startsDaysAgo: 94 },
  { parent: 0, student: '李子墨', school: 2, startsDaysAgo: 80 },
  { parent: 2, student: '刘思琪', school: 0, startsDaysAgo: 66 },
  { parent: 4, student: '杨浩然', school: 2, startsDaysAgo: 52 },
  { parent: 'demo', student: '王小明', school: 2, startsDaysAgo: 40 },
  { parent: 6, student: '黄俊熙', school: 1, startsDaysAgo: 33 },
  { parent: 'demo', student: '王小明', school: 1, startsDaysAgo: 26 },
];

/** Lessons and span of every demo contract. */
export const DEMO_CONTRACT_LESSONS = 12;
export const DEMO_CONTRACT_DAYS = 84;

/** Days before today of the history's moments of trouble: a refund, a dispute, a complaint. */
export const DEMO_EVENTS = { refundDaysAgo: 95, disputeFromDaysAgo: 60, complaintDaysAgo: 20 } as const;
