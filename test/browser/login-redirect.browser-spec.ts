import { Browser, Page } from 'playwright-core';
import { expectStatus } from '../support/api-client';
import { TestPlatform, startPlatform } from '../support/platform';
import { launchBrowser, listen, newContext } from './support/browser';

/** The login page's `next=` goes on to a page of this site only, judged by origin as the browser parses it. */
describe('the login redirect (browser)', () => {
  let platform: TestPlatform;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let base: string;

  beforeAll(async () => {
    platform = await startPlatform();
    [base, browser] = await Promise.all([listen(platform), launchBrowser()]);
    ({ page, problems } = await newContext(browser, base));
    expectStatus(await platform.client().POST('/api/v1/auth/parents', { body: { phone: '13900003001', password: 'parent-password', name: '王芳' } }), 201);
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  });
  afterEach(() => expect(problems).toEqual([]));

  it('keeps paths of this site and refuses every other origin, however it is spelled', async () => {
    await page.goto('/login');
    const cases = ['/parent?tab=1#x', '/\\evil.com', '//evil.com', 'https://evil.com', '/\t/evil.com', '\\\\evil.com', 'javascript:alert(1)', ''];
    // A string, not a function: the test's compiler would turn a function's import() into require().
    const answers = await page.evaluate(`import('/assets/js/safe-next.js').then(({ safeNext }) => ${JSON.stringify(cases)}.map((next) => safeNext(next)))`);
    expect(answers).toEqual(['/parent?tab=1#x', null, null, null, null, null, null, null]);
  });

  it('sends a parent home, not to /\\evil.com, after logging in', async () => {
    await page.goto(`/login?next=${encodeURIComponent('/\\evil.com')}`);
    await page.getByLabel('用户名或手机号').first().fill('13900003001');
    await page.getByLabel('密码').first().fill('parent-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    expect(new URL(page.url()).origin).toBe(base);
  });
});
