/**
 * Browser tests of the web UI: sign in on the login page (either language)
 * and open pages in a test's own browser contexts, one place for what the
 * admin, desktop, roles, queues, trunks and tasks tests all do.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Signs in on the login page at `url` (zh-CN or en-US labels) and waits until the shell shows who is signed in. */
export async function signInWeb(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel(/^(Username|用户名)$/).fill(username);
  await page.getByLabel(/^(Password|密码)$/).fill(password);
  await page.getByRole('button', { name: /^(Sign in|登\s*录)$/ }).click();
  await page.getByTestId('signed-in-as').waitFor();
}

/**
 * Opens a page in a new context of the test's browser (given late: it is
 * launched in beforeAll) in a locale; contexts are kept for closing, page
 * errors collected.
 */
export function pageOpener(o: { browser: () => Browser; contexts: BrowserContext[]; errors: string[]; height?: number; timeoutMs?: number }) {
  return async (locale: 'en-US' | 'zh-CN'): Promise<Page> => {
    const ctx = await o.browser().newContext({ locale, viewport: { width: 1366, height: o.height ?? 900 } });
    ctx.setDefaultTimeout(o.timeoutMs ?? 15_000);
    o.contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('pageerror', (e) => o.errors.push(e.message));
    return page;
  };
}
