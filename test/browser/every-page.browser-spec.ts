import { Browser, Page } from 'playwright-core';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld } from '../support/tuition-world';
import { DESKTOP, PHONE, actAs, axeViolations, expectTidy, openBrowser } from './support/browser';

/**
 * Every page for every role, at phone (390 px) and desktop (1280 px) width: its main action is there
 * without scrolling sideways, no raw code or English validation phrase shows, no script fails, and
 * axe-core finds no serious or critical violation.
 */
describe('every page at phone and desktop width (browser)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let school: School;
  let parent: string;

  beforeAll(async () => {
    platform = await startPlatform();
    ({ browser, page, problems } = await openBrowser(platform));
    world = await new TuitionWorld(platform).init();
    school = await world.school(10_000);
    parent = await world.parent();
    await world.paidContract(parent, school, 5);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });
  afterEach(() => expect(problems).toEqual([]));

  /** The page has settled once the loading line is gone and `ready` shows. */
  async function check(path: string, ready: (page: Page) => ReturnType<Page['locator']>): Promise<void> {
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      await page.goto(path);
      await ready(page).first().waitFor();
      await page.waitForLoadState('networkidle');
      await expectTidy(page, path);
      await expect(ready(page).first().isVisible()).resolves.toBe(true);
      expect({ path, width: viewport.width, axe: await axeViolations(page) }).toEqual({ path, width: viewport.width, axe: [] });
    }
  }

  it('the public lookup, an institution’s public page, the login page and a page that does not exist', async () => {
    await check('/', (p) => p.getByRole('button', { name: '查询' }));
    await check(`/register/${school.institutionId}`, (p) => p.locator('main h1'));
    await check('/login', (p) => p.getByRole('button', { name: '登录' }));
    await check('/no-such-page', (p) => p.getByRole('heading', { name: '页面不存在' }));
    // A page URL that names nothing is an HTML page with status 404; the API keeps problem+json.
    const missingPage = await page.request.get('/no-such-page');
    expect([missingPage.status(), missingPage.headers()['content-type']]).toEqual([404, 'text/html; charset=utf-8']);
    const missingApi = await page.request.get('/api/v1/no-such-thing');
    expect([missingApi.status(), missingApi.headers()['content-type']]).toEqual([404, expect.stringContaining('application/problem+json')]);
    const favicon = await page.request.get('/favicon.ico');
    expect([favicon.status(), favicon.headers()['content-type']]).toEqual([200, 'image/svg+xml']);
  });

  it('the parent’s page', async () => {
    await actAs(page, parent, 'parent');
    await check('/parent', (p) => p.locator('main h2'));
    // Notifications are worded by kind; the outbox worker that writes them does not run here, so the panel is empty.
    await page.getByRole('region', { name: '我的通知' }).waitFor();
    await expect(page.getByRole('navigation', { name: '本页目录' }).getByRole('link').count()).resolves.toBeGreaterThanOrEqual(2);
  });

  it('the institution desk', async () => {
    await actAs(page, world.owner, 'institution');
    await check(`/org?id=${school.institutionId}`, (p) => p.getByRole('region', { name: '点名消课' }));
  });

  it('the regulator’s dashboard', async () => {
    await actAs(page, world.regulator, 'regulator');
    await check('/regulator', (p) => p.locator('#applications'));
    // The section links lead to each part of the long dashboard.
    await page.getByRole('navigation', { name: '本页目录' }).getByRole('link', { name: '预收费资金监管' }).click();
    await page.waitForURL(/#escrow$/);
  });

  it('a parent reports an unlicensed provider from the not-found card, picking the district by name', async () => {
    await actAs(page, parent, 'parent');
    await page.goto('/');
    await page.getByLabel('机构名称、办学许可证号或统一社会信用代码').fill('星光无证补习班');
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByRole('link', { name: /举报这家无证机构/ }).click();
    const complaint = page.getByRole('region', { name: '投诉' });
    await expect(complaint.getByLabel('机构 (名称)').inputValue()).resolves.toBe('星光无证补习班');
    await complaint.getByLabel('所在区县').selectOption({ label: '岳麓区' });
    await complaint.getByLabel('情况说明').fill('小区里招收学科类学员，没有办学许可证');
    await complaint.getByRole('button', { name: '提交投诉' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '提交投诉' }).click();
    await page.getByText('投诉已提交。').waitFor();
    const filed = await platform
      .http()
      .get('/api/v1/complaints')
      .set({ Authorization: `Bearer ${parent}` })
      .expect(200);
    expect(filed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ institutionName: '星光无证补习班', category: 'unlicensed' })]));
  });

  it('offers buying only from a white-listed institution and says why not otherwise', async () => {
    const suspended = await world.school(10_000);
    await platform
      .http()
      .post(`/api/v1/institutions/${suspended.institutionId}/suspend`)
      .set({ Authorization: `Bearer ${world.regulator}` })
      .send({ reason: '整改' })
      .expect(200);
    const publicList = async () => (await platform.http().get(`/api/v1/public/institutions/${suspended.institutionId}`).expect(200)).body.list;
    await eventually(async () => expect(await publicList()).toBe('grey'), 5_000, 20);
    await actAs(page, parent, 'parent');
    await page.goto(`/parent?buy=${suspended.courseId}&institution=${suspended.institutionId}`);
    await page.locator('#buy [role=alert]').getByText('正在停业整顿，暂停上课和招生，不能报名缴费').waitFor();
    await expect(page.getByRole('button', { name: '签订合同并付款' }).count()).resolves.toBe(0);
  });

  it('a page of another role sends to the login page with a Chinese reason; the session survives a new tab', async () => {
    await actAs(page, parent, 'parent');
    await page.goto('/regulator');
    await page.waitForURL(/\/login/);
    await page.getByText('当前账号不能打开那个页面').waitFor();
    const other = await page.context().newPage();
    await other.goto('/parent');
    await other.locator('main h2').first().waitFor();
    expect(other.url()).toMatch(/\/parent$/);
    await other.close();
  });
});
