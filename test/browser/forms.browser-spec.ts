import { Browser, Page, Request } from 'playwright-core';
import { newInstitution } from '../support/factories';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld, as } from '../support/tuition-world';
import { contractWindow, lessonAt } from '../support/dates';
import { DESKTOP, PHONE, actAs, expectTidy, openBrowser } from './support/browser';

/**
 * Forms checked in the browser before they are sent (docs/architecture.md "Web pages"), the district picker, and the
 * state a parent and an institution see of refunds and payment orders, kept current after each action.
 */
describe('forms checked before sending, refunds and payment orders in view (browser)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let parent: string;
  let school: School;
  const http = () => platform.http();
  /** The requests that would change something (POST, PUT, PATCH, DELETE) the page sent to the API. */
  let sent: string[] = [];
  const changes = (request: Request) => request.url().includes('/api/') && request.method() !== 'GET';

  beforeAll(async () => {
    platform = await startPlatform();
    ({ browser, page, problems } = await openBrowser(platform));
    world = await new TuitionWorld(platform).init();
    school = await world.school(10_000);
    parent = await world.parent();
    page.on('request', (request) => changes(request) && sent.push(`${request.method()} ${new URL(request.url()).pathname}`));
  });
  beforeEach(() => (sent = []));
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });
  afterEach(() => expect(problems).toEqual([]));

  /** The sentence shown below a field (aria-describedby), and that the field is marked invalid. */
  async function sentenceBy(field: ReturnType<Page['getByLabel']>): Promise<string | null> {
    await expect(field.getAttribute('aria-invalid')).resolves.toBe('true');
    const id = await field.getAttribute('aria-describedby');
    return page.locator(`[id="${id}"]`).textContent();
  }

  for (const viewport of [PHONE, DESKTOP]) {
    it(`an invalid licence application shows a Chinese sentence by each field and sends nothing (${viewport.width} px)`, async () => {
      await page.setViewportSize(viewport);
      await actAs(page, world.owner, 'institution');
      await page.goto('/org?id=new');
      const form = page.getByRole('region', { name: '办学许可申请' });
      await form.getByLabel('统一社会信用代码（18 位）').fill('91430104ABC'); // too short, and no check character
      await form.getByLabel('联系电话').fill('12345');
      await form.getByLabel('容纳人数').fill('0');
      await form.getByRole('button', { name: '提交审核' }).click();

      await expect(sentenceBy(form.getByLabel('机构名称'))).resolves.toBe('请填写这一项。');
      await expect(sentenceBy(form.getByLabel('统一社会信用代码（18 位）'))).resolves.toMatch(/^统一社会信用代码为 18 位/);
      await expect(sentenceBy(form.getByLabel('所在区县'))).resolves.toBe('请选择一项。');
      await expect(sentenceBy(form.getByLabel('联系电话'))).resolves.toBe('请填写手机号码（11 位）或座机号码（如 0731-88881234）。');
      await expect(sentenceBy(form.getByLabel('容纳人数'))).resolves.toBe('不能小于 1。');
      await expect(form.getByRole('alert').textContent()).resolves.toBe('请修改标出的内容。');
      // The first offending field has the focus; nothing went to the API.
      await expect(
        form.getByLabel('机构名称').evaluate((input) => input === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement),
      ).resolves.toBe(true);
      expect(sent).toEqual([]);
      await expectTidy(page, 'invalid licence application'); // the sentences fit the width; no code, no English

      // A corrected field loses its sentence as it is typed.
      await form.getByLabel('联系电话').fill('0731-88881234');
      await expect(form.getByLabel('联系电话').getAttribute('aria-invalid')).resolves.toBeNull();
    });

    it(`a parent's contract whose end comes before its start, and a bad phone at registration, are not sent (${viewport.width} px)`, async () => {
      await page.setViewportSize(viewport);
      await actAs(page, parent, 'parent');
      await page.goto(`/parent?buy=${school.courseId}&institution=${school.institutionId}`);
      await page.getByLabel('学员姓名').fill('王小明');
      await page.getByLabel('购买课时数').fill('2.5');
      await page.getByLabel('开始日期').fill(platform.clock.daysFromToday(-7));
      await page.getByLabel('结束日期').fill(platform.clock.daysFromToday(-30));
      await page.getByRole('button', { name: '签订合同并付款' }).click();
      await expect(sentenceBy(page.getByLabel('购买课时数'))).resolves.toBe('请填写整数。');
      await expect(sentenceBy(page.getByLabel('结束日期'))).resolves.toBe('不能早于“开始日期”。');
      expect(sent).toEqual([]);

      await page.goto('/login');
      await page.getByText('家长注册').click();
      const register = page.locator('details', { hasText: '家长注册' });
      await register.getByLabel('手机号').fill('1234');
      await register.getByLabel('姓名').fill('王芳');
      await register.getByLabel('密码').fill('short');
      await register.getByRole('button', { name: '注册' }).click();
      await expect(sentenceBy(register.getByLabel('手机号'))).resolves.toBe('请填写 11 位手机号码，以 1 开头。');
      await expect(sentenceBy(register.getByLabel('密码'))).resolves.toBe('至少 8 个字符。');
      expect(sent).toEqual([]);
      await expectTidy(page, 'invalid parent registration');
    });
  }

  it('the public lookup asks for a name instead of searching for nothing', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: '查询' }).click();
    await expect(sentenceBy(page.getByLabel('机构名称、办学许可证号或统一社会信用代码'))).resolves.toBe('请填写这一项。');
    await expectTidy(page, 'empty public search');
  });

  it('says the same in English under the switch, and no English in the Chinese view', async () => {
    await actAs(page, world.owner, 'institution');
    await page.goto('/org?id=new');
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.getByText('请修改标出的内容。').waitFor();
    await expectTidy(page, 'invalid application, Chinese view');
    expect(await page.locator('main').innerText()).not.toMatch(/\bFill in\b/);
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('button', { name: 'Submit for review' }).click();
    await page.getByText('Please correct the marked fields.').waitFor();
    await expect(page.getByText('Choose one.').isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: '切换到中文' }).click();
    await page.getByRole('heading', { name: '办学许可申请' }).waitFor();
  });

  it('the application picks its district by name and the API stores its code', async () => {
    await actAs(page, world.owner, 'institution');
    await page.goto('/org?id=new');
    const form = page.getByRole('region', { name: '办学许可申请' });
    const picker = form.getByLabel('所在区县');
    // Grouped by city; no six-digit code to type.
    await expect(picker.locator('optgroup[label="长沙市"] option[value="430104"]').textContent()).resolves.toBe('岳麓区');
    const application = newInstitution({ name: '梅溪湖少儿围棋学校', category: 'non_subject', districtCode: '430104' });
    await form.getByLabel('机构名称').fill(application.name);
    await form.getByLabel('统一社会信用代码（18 位）').fill(application.uscc);
    await picker.selectOption({ label: '岳麓区' });
    await form.getByLabel('办学地址').fill(application.address);
    await form.getByLabel('类别', { exact: true }).selectOption('non_subject');
    await form.getByLabel('法定代表人').fill(application.legalRepresentative);
    await form.getByLabel('场地面积（平方米）').fill('200');
    await form.getByLabel('容纳人数').fill('80');
    await form.getByLabel('联系电话').fill(application.phone);
    await form.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL((url) => /^[0-9a-f-]{36}$/.test(url.searchParams.get('id') ?? ''));
    const id = new URL(page.url()).searchParams.get('id')!;
    const saved = await http().get(`/api/v1/institutions/${id}`).set(as(world.owner)).expect(200);
    expect(saved.body).toMatchObject({ name: '梅溪湖少儿围棋学校', districtCode: '430104' });
    await expect(page.getByRole('region', { name: '梅溪湖少儿围棋学校' }).textContent()).resolves.toContain('岳麓区');
  });

  it('a report of an unlicensed provider asks for its district by name, and files it with the code', async () => {
    await actAs(page, parent, 'parent');
    await page.goto(`/parent?report=${encodeURIComponent('金太阳无证补习班')}`);
    const complaint = page.getByRole('region', { name: '投诉' });
    await complaint.getByLabel('情况说明').fill('在小区里开班收费');
    await complaint.getByRole('button', { name: '提交投诉' }).click();
    // Not picked from the register: the district is needed, and nothing is sent without it.
    await expect(sentenceBy(complaint.getByLabel('所在区县'))).resolves.toBe('请选择一项。');
    expect(sent).toEqual([]);
    await complaint.getByLabel('所在区县').selectOption({ label: '天心区' });
    await complaint.getByRole('button', { name: '提交投诉' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '提交投诉' }).click(); // filing asks first
    await page.getByText('投诉已提交。').waitFor();
    const mine = await http().get('/api/v1/complaints').set(as(parent)).expect(200);
    expect(mine.body.items).toEqual([
      expect.objectContaining({ institutionId: null, institutionName: '金太阳无证补习班', districtCode: '430103', category: 'unlicensed' }),
    ]);
  });

  it('a payment order waiting for the bank says what the parent must do, and the card updates when the bank confirms', async () => {
    const contract = await http()
      .post('/api/v1/contracts')
      .set(as(parent))
      .send({ courseId: school.courseId, studentName: '李小华', lessons: 3, ...contractWindow(platform.clock) })
      .expect(201);
    await actAs(page, parent, 'parent');
    await page.goto('/parent');
    const card = page.locator(`[data-contract-id="${contract.body.id}"]`);
    await card.getByRole('button', { name: /付款/ }).click();
    const waiting = card.getByTestId('order-waiting');
    await waiting.waitFor();
    await expect(waiting.textContent()).resolves.toMatch(/等待银行到账.*请按付款单号 PO[2-9A-Z]{12} 向监管银行转账 ¥300\.00.*平台正在等待银行确认到账/);
    // No second order for the same money: the pay button is gone while the order waits.
    await expect(card.getByRole('button', { name: /付款/ }).count()).resolves.toBe(0);
    const reference = (await waiting.getAttribute('data-reference'))!;

    // The institution's desk says the money is on its way, not yet in escrow.
    await actAs(page, world.owner, 'institution');
    await page.goto(`/org?id=${school.institutionId}`);
    await expect(page.getByTestId('orders-waiting').textContent()).resolves.toBe('1 笔家长付款（共 ¥300.00）正在等待银行确认到账，到账后计入监管余额。');

    await actAs(page, parent, 'parent');
    await page.goto('/parent');
    await card.getByTestId('order-waiting').waitFor();
    await world.receipt(reference, 30_000).expect(201);
    // The card asks again by itself: paid, in escrow, without a reload.
    await page
      .locator(`[data-contract-id="${contract.body.id}"] [data-field=escrowFen] .figure-value`)
      .filter({ hasText: '¥300.00' })
      .waitFor({ timeout: 15_000 });
    await expect(page.locator(`[data-contract-id="${contract.body.id}"]`).getByTestId('order-waiting').count()).resolves.toBe(0);
  });

  it('a refund request shows its amount and deadline on the parent’s card and the institution’s desk; the escrow figure follows the refund', async () => {
    const own = await world.school(10_000); // a school of its own, so the desk's escrow is this contract's alone
    const contractId = await world.paidContract(parent, own, 5);
    await world.recordLesson(own, [contractId], lessonAt(platform.clock, 1, '16:00')).expect(201); // ¥100.00 waiting for the parent
    await actAs(page, parent, 'parent');
    await page.goto('/parent');
    const card = page.locator(`[data-contract-id="${contractId}"]`);
    await card.getByRole('button', { name: '申请退费' }).click();
    await page.getByRole('dialog').getByLabel('退费理由').fill('孩子转学');
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    const state = card.getByTestId('refund-state');
    await state.waitFor();
    await expect(state.textContent()).resolves.toMatch(/退费申请待机构答复：可退 ¥400\.00.*须在 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前答复/);
    // A second tap is not possible while the request waits.
    await expect(card.getByRole('button', { name: '申请退费' }).isDisabled()).resolves.toBe(true);
    await page.reload();
    await expect(card.getByTestId('refund-state').textContent()).resolves.toContain('可退 ¥400.00');

    await actAs(page, world.owner, 'institution');
    await page.goto(`/org?id=${own.institutionId}`);
    const refunds = page.getByRole('region', { name: '退费申请' });
    await expect(refunds.locator('[data-field=refundFen]').textContent()).resolves.toBe('¥400.00');
    await expect(refunds.locator('[data-field=deemedAcceptedAt]').textContent()).resolves.toMatch(/^须在 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前答复$/);
    const rollCall = page.getByRole('region', { name: '点名消课' });
    await expect(rollCall.getByRole('checkbox').count()).resolves.toBe(1);
    // The desk's forms are checked too: a roll call with nobody ticked, a price with three decimals.
    sent = [];
    await rollCall.getByRole('checkbox').uncheck();
    await rollCall.getByRole('button', { name: '记录本节课' }).click();
    await expect(rollCall.locator('fieldset .field-error').textContent()).resolves.toBe('请至少选择一项。');
    await rollCall.getByRole('checkbox').check(); // ticked again: the sentence goes
    await expect(rollCall.locator('fieldset .field-error').count()).resolves.toBe(0);
    const courses = page.getByRole('region', { name: '课程', exact: true });
    await courses.getByLabel('课程名称').fill('国画入门');
    await courses.getByLabel('科目').fill('美术');
    await courses.getByLabel('每课时价格（元）').fill('80.555');
    await courses.getByRole('button', { name: '新增课程' }).click();
    await expect(sentenceBy(courses.getByLabel('每课时价格（元）'))).resolves.toBe('请填写金额（元），最多两位小数，如 80 或 80.50。');
    expect(sent).toEqual([]);
    const escrow = page.locator('#escrow [data-field=escrowFen] .figure-value');
    await expect(escrow.textContent()).resolves.toBe('¥500.00');
    await refunds.getByRole('button', { name: '同意退费' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await refunds.getByText('没有待答复的退费申请。').waitFor();
    // Without a reload: ¥400.00 went back to the parent; the lesson waiting for confirmation stays.
    await page.locator('#escrow [data-field=escrowFen] .figure-value', { hasText: '¥100.00' }).waitFor();
    // …and the refunded pupil is no longer offered for the roll call.
    await page.getByRole('region', { name: '点名消课' }).getByText('这门课还没有在读学员。').waitFor();

    await actAs(page, parent, 'parent');
    await page.goto('/parent');
    await expect(card.getByTestId('refund-state').textContent()).resolves.toMatch(/退费已办理：¥400\.00 从监管账户退回/);
  });
});
