// A browser page whose problems are collected for the test to check: page errors, console errors,
// and any request that leaves 127.0.0.1 (aborted, since tests reach nothing else).
import type { Page } from 'playwright-core';
import type { Chromium } from './chromium.ts';

export interface Watched {
  page: Page;
  /** Page errors, console errors and requests that left 127.0.0.1. */
  problems: string[];
}

/** A page whose errors are collected, and which may reach nothing but the host. */
export async function watchedPage(browser: Chromium): Promise<Watched> {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();
    problems.push(`request off the host: ${url.toString()}`);
    return route.abort();
  });
  return { page, problems };
}
