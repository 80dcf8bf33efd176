import { Browser, Page } from 'playwright-core';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld } from '../support/tuition-world';
import { actAs, logIn, openBrowser, screenshot } from './support/browser';
import { lessonAt } from '../support/dates';

describe('a parent in the browser: lookup, buying a course, confirming lessons (browser)', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let school: School;
  let name: string;
  let world: TuitionWorld;

  beforeAll(async () => {
    platform = await startPlatform();
    ({ browser, page, problems } = await openBrowser(platform));
    world = await new TuitionWorld(platform).init();
    school = await world.school(8_050);
    name = (await platform.http().get(`/api/v1/public/institutions/${school.institutionId}`).expect(200)).body.name;
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });
  afterEach(() => expect(problems).toEqual([]));

  it('finds a licensed institution by name and shows its list colour, licence, courses, teachers and escrow', async () => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: '查询校外培训机构' }).isVisible()).resolves.toBe(true);
    await screenshot(page, 'public-search');
    await page.getByLabel('机构名称、办学许可证号或统一社会信用代码').fill(name.slice(0, 6));
    await page.getByRole('button', { name: '查询' }).click();
    const result = page.getByRole('link', { name: new RegExp(name) });
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain('白名单');
    await screenshot(page, 'public-results');

    await result.click();
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    const banner = page.getByTestId('list-banner');
    await expect(banner.textContent()).resolves.toContain('白名单');
    const borderColour = (element: unknown) =>
      (globalThis as unknown as { getComputedStyle(element: unknown): { borderColor: string } }).getComputedStyle(element).borderColor;
    await expect(banner.evaluate(borderColour)).resolves.toBe('rgb(46, 125, 50)'); // the white list's green frame
    await expect(page.getByTestId('escrow-supervised').textContent()).resolves.toContain('已纳入');
    const courses = page.getByRole('region', { name: '备案课程及价格' });
    await expect(courses.textContent()).resolves.toContain('¥80.50');
    await expect(page.getByRole('region', { name: '教师' }).textContent()).resolves.toMatch(/李老师.*有教师资格证/);
    await expect(page.getByText('低风险').first().isVisible()).resolves.toBe(true);
    await screenshot(page, 'public-institution');
  });

  it('finds the same institution by its licence number', async () => {
    const detail = (await platform.http().get(`/api/v1/public/institutions/${school.institutionId}`).expect(200)).body;
    await page.goto(`/?q=${encodeURIComponent(detail.licence.number)}`);
    await page.getByRole('link', { name: new RegExp(name) }).waitFor();
    await expect(page.getByText('共找到 1 家机构').isVisible()).resolves.toBe(true);
  });

  it('warns clearly that a name not in the register is to be treated as unlicensed', async () => {
    await page.goto('/');
    await page.getByLabel('机构名称、办学许可证号或统一社会信用代码').fill('金太阳无证补习班');
    await page.keyboard.press('Enter');
    const warning = page.getByTestId('not-found');
    await warning.waitFor();
    await expect(warning.textContent()).resolves.toMatch(/未在登记名册中找到“金太阳无证补习班”.*请按无证机构对待/);
    await expect(warning.getAttribute('role')).resolves.toBe('alert');
    await screenshot(page, 'public-not-found');
  });

  it('switches to English and back, keeping money as ¥ with fen', async () => {
    await page.goto(`/register/${school.institutionId}`);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByText('Approved courses and prices').waitFor();
    await expect(page.getByTestId('list-banner').textContent()).resolves.toContain('White list');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.getByRole('button', { name: '切换到中文' }).click();
    await page.getByText('备案课程及价格').waitFor();
  });
  describe('a logged-in parent', () => {
    let contractId: string;
    const card = () => page.locator(`[data-contract-id="${contractId}"]`);
    const amount = (field: string) => card().locator(`[data-field="${field}"] .figure-value`).textContent();

    let parent: string;

    beforeAll(async () => {
      parent = await world.parent(); // 13900000001
      await logIn(page, '13900000001', 'password-1');
    });

    it('buys a course from the institution page: a payment order, waiting for the bank, then paid into escrow', async () => {
      await page.goto(`/register/${school.institutionId}`);
      await page.getByRole('link', { name: '购买' }).click();
      await page.waitForURL(/\/parent\?buy=/);
      // The contract's terms are shown before paying, under the model contract's headings.
      const terms = page.locator('.contract-terms');
      for (const heading of ['合同双方', '培训课程', '课时', '收费标准', '付款方式与资金监管', '退费', '争议解决'])
        await terms.getByText(heading).first().waitFor();
      await page.getByLabel('学员姓名').fill('王小明');
      await page.getByLabel('购买课时数').fill('10');
      await page.getByLabel('开始日期').fill(platform.clock.daysFromToday(-7)); // lessons of the last days fall inside it
      await expect(page.locator('#buy-total').textContent()).resolves.toBe('¥805.00');
      await page.getByRole('button', { name: '签订合同并付款' }).click();
      // The page shows the order's reference and waits for the bank; the bank's receipt confirms it.
      const order = page.locator('#buy-order [data-reference]');
      await order.waitFor();
      await expect(order.textContent()).resolves.toContain('等待到账');
      await expect(page.locator('#buy-order').textContent()).resolves.toMatch(/请按付款单号 PO[2-9A-Z]{12} 向监管银行付款 ¥805\.00/);
      await world.receipt((await order.getAttribute('data-reference'))!, 80_500).expect(201);
      await page.getByText('已付款，学费已存入监管账户。').waitFor();
      contractId = (await page.locator('[data-contract-id]').first().getAttribute('data-contract-id'))!;
      await expect(amount('paidFen')).resolves.toBe('¥805.00');
      await expect(amount('escrowFen')).resolves.toBe('¥805.00');
      await expect(card().textContent()).resolves.toContain('上课中');
    });

    it('explains a refusal from the API: more lessons than the district allows prepaid', async () => {
      await page.goto(`/parent?buy=${school.courseId}&institution=${school.institutionId}`);
      await page.getByLabel('学员姓名').fill('王小红');
      await page.getByLabel('购买课时数').fill('61');
      await page.getByRole('button', { name: '签订合同并付款' }).click();
      const error = page.locator('#buy [role=alert]');
      await error.waitFor();
      // Our sentence, saying what to do; never the raw code or the API's English detail in the Chinese view.
      await expect(error.textContent()).resolves.toBe('超出本区预收费上限（课时数、月数或金额），请减少购买数量。');
    });

    it('confirms a lesson and sees the escrow amount fall by its price', async () => {
      await world.recordLesson(school, [contractId], lessonAt(platform.clock, 2, '16:00')).expect(201);
      await world.recordLesson(school, [contractId], lessonAt(platform.clock, 1, '16:00')).expect(201);
      await page.goto('/parent');
      await card().waitFor();
      await expect(amount('escrowFen')).resolves.toBe('¥805.00');
      await expect(amount('pendingFen')).resolves.toBe('¥161.00');
      const lessons = card().locator('.lesson');
      await expect(lessons.count()).resolves.toBe(2);

      await lessons.nth(1).getByRole('button', { name: '确认上课' }).click();
      // Money moves only after the dialog says how much and the parent confirms there.
      await expect(page.getByRole('dialog').textContent()).resolves.toMatch(/¥\d+\.\d{2} 将从监管账户划转给机构/);
      await page.getByRole('dialog').getByRole('button', { name: '确认上课' }).click();
      await card().locator('.lesson .status-confirmed').waitFor();
      await expect(amount('escrowFen')).resolves.toBe('¥724.50');
      await expect(amount('consumedFen')).resolves.toBe('¥80.50');
      await expect(amount('pendingFen')).resolves.toBe('¥80.50');
    });

    it('disputes a lesson with a reason typed in a dialog', async () => {
      await card().locator('.lesson').first().getByRole('button', { name: '提出异议' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('异议理由（例如：老师没来）').fill('老师没来');
      await dialog.getByRole('button', { name: '确定' }).click();
      await card().locator('.lesson .status-disputed').waitFor();
      await expect(card().locator('.lesson').first().textContent()).resolves.toContain('老师没来');
      await screenshot(page, 'parent-contracts');
    });

    it('asks for a refund and is told when the institution must answer', async () => {
      await card().getByRole('button', { name: '申请退费' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('退费理由').fill('搬家');
      await dialog.getByRole('button', { name: '确定' }).click();
      await page.getByText(/退费申请已提交，机构需在 .* 前答复/).waitFor();
      const requests = await platform
        .http()
        .get('/api/v1/refund-requests')
        .set({ Authorization: `Bearer ${world.owner}` })
        .expect(200);
      expect(requests.body).toEqual([expect.objectContaining({ contractId, status: 'requested', reason: '搬家' })]);
    });

    it('files a complaint about the institution and sees it listed as open', async () => {
      const complaint = page.getByRole('region', { name: '投诉' });
      await complaint.getByLabel('机构', { exact: true }).selectOption({ label: name });
      await complaint.getByLabel('情况说明').fill('老师多次临时调课');
      await complaint.getByRole('button', { name: '提交投诉' }).click();
      await page.getByRole('dialog').getByRole('button', { name: '提交投诉' }).click();
      await page.getByText('投诉已提交。').waitFor();
      await expect(page.getByRole('region', { name: '投诉' }).getByRole('table').textContent()).resolves.toMatch(/未按约上课.*待受理/);
    });

    it('the institution accepts the refund; the parent sees everything unconsumed and not pending refunded', async () => {
      await actAs(page, world.owner, 'institution');
      await page.goto(`/org?id=${school.institutionId}`);
      const refunds = page.getByRole('region', { name: '退费申请' });
      await expect(refunds.textContent()).resolves.toContain('搬家');
      await refunds.getByRole('button', { name: '同意退费' }).click();
      await page.getByRole('dialog').getByRole('button', { name: '确定' }).click(); // a reason is optional to accept
      await refunds.getByText('没有待答复的退费申请。').waitFor();

      await actAs(page, parent, 'parent');
      await page.goto('/parent');
      await card().waitFor();
      await expect(card().textContent()).resolves.toContain('已退费');
      await expect(amount('refundedFen')).resolves.toBe('¥644.00'); // ¥724.50 in escrow − ¥80.50 still disputed
      await expect(amount('escrowFen')).resolves.toBe('¥80.50');
    });
  });
});
