import { Browser, Page } from 'playwright-core';
import { addDays } from '@app/core';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { School, TuitionWorld, as } from '../support/tuition-world';
import { DESKTOP, PHONE, actAs, axeViolations, expectTidy, openBrowser } from './support/browser';

/**
 * The licence life cycle and complaints on the desks (docs/domain.md "Licences", "Complaints"), walked
 * at phone and at desktop width: a regulator stops an institution's enrolment and parents are offered no
 * purchase, with the reason; an institution applies to renew within the window and the regulator decides
 * from the renewal queue; a parent complains on a contract, the institution answers, the regulator
 * verifies. After each step the page has no sideways scroll, no raw code and no script error.
 */
describe('licence life cycle and complaints on the desks (browser)', () => {
  let platform: TestPlatform;
  let world: TuitionWorld;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  /** The day the tests start on: a test that moves the clock brings it (and the browser's) back here. */
  let startDay: string;
  const http = () => platform.http();
  const dialog = () => page.getByRole('dialog');

  /** The platform's day and time in the browser too: the pages read "today" from the device. */
  async function travelTo(day: string): Promise<void> {
    platform.clock.travelTo(day);
    await page.clock.setSystemTime(platform.clock.now());
  }

  beforeAll(async () => {
    platform = await startPlatform();
    startDay = platform.clock.today();
    ({ browser, page, problems } = await openBrowser(platform));
    world = await new TuitionWorld(platform).init();
    await page.clock.setSystemTime(platform.clock.now());
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });
  afterEach(() => expect(problems).toEqual([]));

  const publicList = async (id: string) => (await http().get(`/api/v1/public/institutions/${id}`).expect(200)).body.list;

  describe.each([
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ])('at %s width', (_, viewport) => {
    let school: School;
    let parent: string;
    let contractId: string;

    beforeAll(async () => {
      await page.setViewportSize(viewport);
      school = await world.school(10_000);
      parent = await world.parent();
      contractId = await world.paidContract(parent, school, 5);
    });

    it('a regulator stops enrolment: the public and parent pages offer no purchase and say why, the desk says lessons go on; then resumes', async () => {
      await actAs(page, world.regulator, 'regulator');
      await page.goto('/regulator');
      const row = page.locator(`#institutions tr[data-institution-id="${school.institutionId}"]`);
      await row.getByRole('button', { name: '停止招生' }).click();
      // The dialog says what the step does and asks for the reason the API records; cancelling changes nothing.
      await expect(dialog().textContent()).resolves.toContain('已报名学员照常上课');
      await dialog().getByRole('button', { name: '取消' }).click();
      await expect(row.getByRole('button', { name: '恢复招生' }).count()).resolves.toBe(0);
      await row.getByRole('button', { name: '停止招生' }).click();
      await dialog().getByLabel('理由').fill('未按规定公示收费标准');
      await dialog().getByRole('button', { name: '停止招生' }).click();
      await row.getByRole('button', { name: '恢复招生' }).waitFor();
      await expect(row.locator('.badge.status').textContent()).resolves.toBe('停止招生');
      await expectTidy(page, 'regulator: enrolment stopped');
      const stopped = await http().get(`/api/v1/institutions/${school.institutionId}`).set(as(world.regulator)).expect(200);
      expect(stopped.body).toMatchObject({ status: 'enrolment_stopped' });
      await eventually(async () => expect(await publicList(school.institutionId)).toBe('grey'), 5_000, 20);

      // The public page, seen by a parent: no purchase link, and the reason.
      await actAs(page, parent, 'parent');
      await page.goto(`/register/${school.institutionId}`);
      const notice = page.getByTestId('no-purchase');
      await expect(notice.textContent()).resolves.toContain('已被主管部门责令停止招生');
      await expect(page.getByRole('link', { name: '购买' }).count()).resolves.toBe(0);
      await expectTidy(page, 'public page: enrolment stopped');
      expect({ where: 'public page: enrolment stopped', axe: await axeViolations(page) }).toEqual({ where: 'public page: enrolment stopped', axe: [] });

      // The parent's page, reached through an old buying link: no form, the reason; the contract held goes on.
      await page.goto(`/parent?buy=${school.courseId}&institution=${school.institutionId}`);
      await expect(page.locator('#buy [role=alert]').textContent()).resolves.toContain('暂不接受新报名和缴费；已报名学员照常上课');
      await expect(page.getByRole('button', { name: '签订合同并付款' }).count()).resolves.toBe(0);
      await page.locator(`[data-contract-id="${contractId}"]`).waitFor();
      await expectTidy(page, 'parent page: enrolment stopped');

      // The institution's desk says what the state means, with the regulator's reason; the roll call stays.
      await actAs(page, world.owner, 'institution');
      await page.goto(`/org?id=${school.institutionId}`);
      const state = page.getByTestId('licence-state');
      await expect(state.textContent()).resolves.toMatch(/停止招生.*已报名学员照常上课.*暂不能签订新合同.*未按规定公示收费标准/);
      await page.getByRole('region', { name: '点名消课' }).waitFor();
      await expectTidy(page, 'institution desk: enrolment stopped');
      expect({ where: 'institution desk: enrolment stopped', axe: await axeViolations(page) }).toEqual({
        where: 'institution desk: enrolment stopped',
        axe: [],
      });
      // The same in English, under the switch.
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await expect(page.getByTestId('licence-state').textContent()).resolves.toContain(
        'Enrolment stopped by the regulator: lessons, confirmations and refunds go on',
      );
      await expectTidy(page, 'institution desk in English: enrolment stopped');
      await page.getByRole('button', { name: '切换到中文' }).click();
      await page.getByTestId('licence-state').getByText('主管部门已责令停止招生').waitFor();

      await actAs(page, world.regulator, 'regulator');
      await page.goto('/regulator');
      await row.getByRole('button', { name: '恢复招生' }).click();
      await dialog().getByLabel('理由').fill('已整改，收费标准已公示');
      await dialog().getByRole('button', { name: '恢复招生' }).click();
      await row.getByRole('button', { name: '停止招生' }).waitFor();
      await expect(row.locator('.badge.status').textContent()).resolves.toBe('持证经营');
      await eventually(async () => expect(await publicList(school.institutionId)).toBe('white'), 5_000, 20);
      await actAs(page, parent, 'parent');
      await page.goto(`/register/${school.institutionId}`);
      await page.getByRole('link', { name: '购买' }).waitFor();
      await expect(page.getByTestId('no-purchase').count()).resolves.toBe(0);
    });

    it('an institution applies to renew within the window; the regulator sees the queue oldest first and decides', async () => {
      const first = await world.school(10_000);
      const validUntil = (await http().get(`/api/v1/institutions/${school.institutionId}`).set(as(world.owner)).expect(200)).body.licenceValidUntil;
      const opensOn = addDays(validUntil, -90);

      // Before the window the desk says from which day one may apply, and the button is off.
      await actAs(page, world.owner, 'institution');
      await page.goto(`/org?id=${school.institutionId}`);
      const renewal = page.getByRole('region', { name: '许可证续期' });
      await expect(renewal.getByTestId('renewal-window').textContent()).resolves.toContain(`可于 ${opensOn} 起申请续期`);
      await expect(renewal.getByRole('button', { name: '申请续期' }).isDisabled()).resolves.toBe(true);

      await travelTo(addDays(opensOn, 10));
      try {
        // Another institution applied first (through the API): it heads the queue.
        await http().post(`/api/v1/institutions/${first.institutionId}/renewals`).set(as(world.owner)).send({ validYears: 2 }).expect(201);
        platform.clock.advance(60_000);
        await page.clock.setSystemTime(platform.clock.now());

        await actAs(page, world.owner, 'institution');
        await page.goto(`/org?id=${school.institutionId}`);
        await expect(renewal.getByTestId('renewal-window').textContent()).resolves.toContain('现在可以申请续期');
        await renewal.getByLabel('续期年限').selectOption('3');
        await renewal.getByRole('button', { name: '申请续期' }).click();
        await expect(dialog().textContent()).resolves.toContain('续期 3 年');
        await dialog().getByRole('button', { name: '申请续期' }).click();
        await renewal.getByTestId('renewal-pending').waitFor();
        await expect(renewal.getByTestId('renewal-pending').textContent()).resolves.toBe('续期审核中');
        await page.locator('#overview .timeline').getByText('申请续期').waitFor();
        await expectTidy(page, 'institution desk: renewal pending');

        await actAs(page, world.regulator, 'regulator');
        await page.goto('/regulator');
        await expect(page.locator('[data-work=renewals] strong').textContent()).resolves.toBe('2');
        const queue = page.locator('#renewals tbody tr');
        await expect(queue.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-institution-id')))).resolves.toEqual([
          first.institutionId,
          school.institutionId,
        ]);
        const mine = page.locator(`#renewals tr[data-institution-id="${school.institutionId}"]`);
        await expect(mine.textContent()).resolves.toContain(validUntil);
        await expectTidy(page, 'regulator: renewal queue');
        expect({ where: 'regulator: renewal queue', axe: await axeViolations(page) }).toEqual({ where: 'regulator: renewal queue', axe: [] });

        await page.locator(`#renewals tr[data-institution-id="${first.institutionId}"]`).getByRole('button', { name: '不予续期' }).click();
        await dialog().getByLabel('理由').fill('办学条件不再符合要求');
        await dialog().getByRole('button', { name: '不予续期' }).click();
        await page.locator(`#renewals tr[data-institution-id="${first.institutionId}"]`).waitFor({ state: 'detached' });
        await mine.getByRole('button', { name: '准予续期' }).click();
        await expect(dialog().textContent()).resolves.toContain(`新的有效期自 ${validUntil} 届满次日起算，共 3 年`);
        await dialog().getByLabel('理由').fill('年检合格');
        await dialog().getByRole('button', { name: '准予续期' }).click();
        await page.getByText('没有待审核的续期申请。').waitFor();
        await expect(page.locator('[data-work=renewals] strong').textContent()).resolves.toBe('0');
        const renewed = await http().get(`/api/v1/institutions/${school.institutionId}`).set(as(world.regulator)).expect(200);
        expect(renewed.body).toMatchObject({ status: 'licensed', licenceValidFrom: addDays(validUntil, 1), renewalAppliedAt: null });
        expect(renewed.body.history.at(-1)).toMatchObject({ action: 'grant_renewal', reason: '年检合格' });
      } finally {
        await travelTo(startDay);
      }
    });

    it('a parent complains on a contract, the institution answers, the parent sees the answer, the regulator verifies', async () => {
      const description = `孩子的课连续两周被取消（${viewport.width}）`;
      await actAs(page, parent, 'parent');
      await page.goto('/parent');
      const form = page.getByRole('region', { name: '投诉' });
      await form.getByLabel('相关合同（可选）').selectOption(contractId);
      await form.getByLabel('投诉类别').selectOption('lessons_not_delivered');
      await form.getByLabel('情况说明').fill(description);
      await form.getByRole('button', { name: '提交投诉' }).click();
      await dialog().getByRole('button', { name: '提交投诉' }).click();
      await page.getByText('投诉已提交。').waitFor();
      const filed = (await http().get('/api/v1/complaints').set(as(parent)).expect(200)).body.items.find(
        (item: { description: string }) => item.description === description,
      );
      expect(filed).toMatchObject({ contractId, institutionId: school.institutionId, overdue: false, dueOn: expect.any(String) });
      const mine = page.locator(`#complaint tr[data-complaint-id="${filed.id}"]`);
      await expect(mine.textContent()).resolves.toContain(filed.dueOn);
      await expect(mine.textContent()).resolves.toContain('机构尚未答复');
      await expectTidy(page, 'parent: complaint filed');
      expect({ where: 'parent: complaint filed', axe: await axeViolations(page) }).toEqual({ where: 'parent: complaint filed', axe: [] });

      await actAs(page, world.owner, 'institution');
      await page.goto(`/org?id=${school.institutionId}`);
      const row = page.locator(`#complaints tr[data-complaint-id="${filed.id}"]`);
      await expect(row.textContent()).resolves.toContain(description);
      await expect(row.textContent()).resolves.toContain(filed.dueOn);
      await row.getByRole('button', { name: '答复' }).click();
      await dialog().getByLabel('答复内容（家长和主管部门可见）').fill('已与家长沟通，本周六补课两节');
      await dialog().getByRole('button', { name: '答复' }).click();
      await page.getByText('答复已提交。').waitFor();
      await expect(page.locator(`#complaints tr[data-complaint-id="${filed.id}"] .complaint-answer`).textContent()).resolves.toBe(
        '已与家长沟通，本周六补课两节',
      );
      await expectTidy(page, 'institution desk: complaint answered');
      expect({ where: 'institution desk: complaint answered', axe: await axeViolations(page) }).toEqual({
        where: 'institution desk: complaint answered',
        axe: [],
      });

      await actAs(page, parent, 'parent');
      await page.goto('/parent');
      await expect(mine.locator('.complaint-answer').textContent()).resolves.toBe('已与家长沟通，本周六补课两节');

      // Five complaints a day at most: the sixth is refused with a sentence of its own, not a raw 429.
      for (let n = 2; n <= 5; n++)
        await http()
          .post('/api/v1/complaints')
          .set(as(parent))
          .send({ institutionId: school.institutionId, category: 'other', description: `补充情况 ${n}` })
          .expect(201);
      await form.getByLabel('相关合同（可选）').selectOption(contractId);
      await form.getByLabel('情况说明').fill('又一次停课');
      await form.getByRole('button', { name: '提交投诉' }).click();
      await dialog().getByRole('button', { name: '提交投诉' }).click();
      await expect(form.getByRole('alert').textContent()).resolves.toBe('每位家长每天最多提交 5 条投诉，请明天再提交。');
      await expectTidy(page, 'parent: daily complaint limit');

      // Past its deadline undecided, the regulator's list marks it overdue.
      await travelTo(addDays(filed.dueOn, 1));
      try {
        await actAs(page, world.regulator, 'regulator');
        await page.goto('/regulator');
        const listed = page.locator(`#complaints tr[data-complaint-id="${filed.id}"]`);
        await expect(listed.locator('[data-overdue]').textContent()).resolves.toBe('已逾期');
        await expect(listed.locator('[data-verified]').textContent()).resolves.toBe('未核实');
        await expect(listed.textContent()).resolves.toContain('已与家长沟通，本周六补课两节');
        await expectTidy(page, 'regulator: complaint overdue');
        expect({ where: 'regulator: complaint overdue', axe: await axeViolations(page) }).toEqual({ where: 'regulator: complaint overdue', axe: [] });
        await listed.getByRole('button', { name: '核实属实' }).click();
        await dialog().getByLabel('答复').fill('经核实，机构确有停课情况，已责令补课');
        await dialog().getByRole('button', { name: '核实属实' }).click();
        await listed.locator('[data-verified=true]').waitFor();
        await expect(listed.locator('[data-verified]').textContent()).resolves.toMatch(/^✓ 已核实/);
        await expect(listed.locator('[data-overdue]').count()).resolves.toBe(0);
        await expectTidy(page, 'regulator: complaint verified');
      } finally {
        await travelTo(startDay);
      }
    });
  });
});
