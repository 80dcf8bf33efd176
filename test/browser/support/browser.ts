import { mkdirSync, readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { TestPlatform } from '../../support/platform';

/** Debian's Chromium (apt-get install chromium; .ci/run installs it), headless, quiet on the network. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}

/** Puts the in-process API on a free loopback port and answers its base URL. */
export async function listen(platform: TestPlatform): Promise<string> {
  await platform.api.listen(0, '127.0.0.1');
  const { port } = platform.api.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

/**
 * A browser context at phone size whose pages record every uncaught error and console error, so a
 * test can assert the pages ran cleanly (a broken module would otherwise just leave a blank page).
 */
export async function newContext(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ baseURL, viewport: PHONE, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(10_000);
  const problems: string[] = [];
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A failed request the page handles itself (4xx problem answers, optional oversight panels) is logged by Chromium; only script errors count.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return { context, page, problems };
}

/** A raw API code (AUTH.FORBIDDEN) or an English validation phrase must never reach the Chinese view. */
/** A browser on a test platform's pages, with one page and the problems it reports (console errors, failed requests). */
export async function openBrowser(platform: TestPlatform): Promise<{ browser: Browser; page: Page; problems: string[] }> {
  const [base, browser] = await Promise.all([listen(platform), launchBrowser()]);
  const { page, problems } = await newContext(browser, base);
  return { browser, page, problems };
}

export const RAW_CODE = /\b[A-Z]+\.[A-Z_]+\b/;
export const ENGLISH_VALIDATION = /\b(must be|should not|is required|must not|Bad Request|Not Found|Cannot GET)\b/i;

/**
 * The page as it stands reads right at its width: nothing scrolls sideways (scrollWidth ≤ innerWidth),
 * and no raw code or English validation phrase shows. `where` names the page in a failure.
 */
export async function expectTidy(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth, text } = (await page.evaluate(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, text: document.body.innerText })',
  )) as { scrollWidth: number; innerWidth: number; text: string };
  expect({ where, width: innerWidth, scrollWidth }).toEqual({ where, width: innerWidth, scrollWidth: Math.min(scrollWidth, innerWidth) });
  expect({ where, rawCode: RAW_CODE.exec(text)?.[0] ?? null }).toEqual({ where, rawCode: null });
  expect({ where, english: ENGLISH_VALIDATION.exec(text)?.[0] ?? null }).toEqual({ where, english: null });
}

export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名或手机号').first().fill(username);
  await page.getByLabel('密码').first().fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/**
 * Switches the tab to another user by storing their token the way the login page does (the login page
 * itself is driven by logIn once per file; this saves a password check per switch of role).
 */
export async function actAs(page: Page, token: string, role: 'parent' | 'institution' | 'regulator'): Promise<void> {
  await page.goto('/login');
  await page.evaluate(
    ([accessToken, who]) =>
      (globalThis as unknown as { localStorage: Storage }).localStorage.setItem(
        'session',
        JSON.stringify({ accessToken, role: who, username: who, expiresAt: Date.now() + 3_600_000 }),
      ),
    [token, role] as const,
  );
}

interface Storage {
  setItem(key: string, value: string): void;
}

const SCREENSHOTS = process.env.SCREENSHOTS === '1';
const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

/**
 * With SCREENSHOTS=1, saves the page at phone and at desktop width (full page) as
 * docs/screenshots/<name>-phone.png and <name>-desktop.png, then returns to phone size.
 */
export async function screenshot(page: Page, name: string, ready?: () => Promise<unknown>): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.evaluate('document.fonts.ready');
    if (ready) await ready();
    await page.waitForTimeout(150); // let layout and charts settle after the resize
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${size}.png`), fullPage: true });
  }
  await page.setViewportSize(PHONE);
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it stands ("rule: target" lines; [] when
 * clean). Evaluated through the DevTools protocol, so the page's strict CSP (no inline scripts) does not apply.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const { passes, violations } = (await page.evaluate(
    "axe.run(document).then((result) => ({ passes: result.passes.length, violations: result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')) }))",
  )) as { passes: number; violations: string[] };
  if (!passes) throw new Error('axe-core checked nothing on this page');
  return violations;
}
