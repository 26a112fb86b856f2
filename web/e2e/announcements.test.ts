import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshots } from './browser';
import { apiCall, personalPage, seedClass, signInThroughForm } from './school-api';
import { type RunningServer, startServer } from './server';
import { TEACHING_START } from './teaching-api';

const ADMIN = { institutionName: 'Brookside School', name: 'Abe Admin', username: 'abe.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Tara Teacher', username: 'tara.teacher', password: 'a-long-teacher-secret' };
const STUDENT = { name: 'Sol Student', username: 'sol.student', password: 'a-long-student-secret' };
const OLDER = 24;

let server: RunningServer;
let browser: Browser;
let code = '';

async function signedIn(account: { username: string; password: string }, startPath: string): Promise<Page> {
  const page = await personalPage(browser);
  await signInThroughForm(page, server.url, account, code, startPath);
  return page;
}

describe.skipIf(!hasChromium)('announcements in pages, pinned, changed and deleted', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const seeded = await seedClass(server.url, { admin: ADMIN, teacher: TEACHER, student: STUDENT });
    code = seeded.code;
    // More than a page of older news for everyone.
    for (let number = 1; number <= OLDER; number++) {
      await apiCall(server.url, 'POST', '/api/announcements', seeded.admin, { title: `School news ${number}`, body: 'Details.', audience: { all: true } });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a teacher posts a pinned announcement to their class asking for confirmation', async () => {
    const page = await signedIn(TEACHER, TEACHING_START);
    await page.goto(`${server.url}/announcements`);
    await page.getByRole('button', { name: 'New announcement' }).click();
    const form = page.getByRole('form', { name: 'New announcement' });
    await form.getByLabel(/^Title/).fill('Trip to the museum');
    await form.getByLabel(/^Text/).fill('Bring a packed lunch.');
    await form.getByLabel(/^Classes/).click();
    await page.getByRole('option', { name: '7A', exact: true }).click();
    await page.keyboard.press('Escape');
    // A week ahead (any time zone's today is before it).
    await form.getByLabel(/^Pinned until/).fill(new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
    await form.getByRole('checkbox', { name: 'Ask readers to confirm they have read it' }).check();
    await form.getByRole('button', { name: 'Post announcement' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Trip to the museum' }).isVisible()).toBe(true);
    expect(await page.getByText(/pinned until/).isVisible()).toBe(true);
  });

  it('the student finds it pinned first and unread, pages through the rest and confirms it', async () => {
    const page = await signedIn(STUDENT, TEACHING_START);
    await page.goto(`${server.url}/announcements`);
    const list = page.getByRole('list', { name: 'Announcements' });
    await expect.poll(() => list.getByRole('link').first().textContent()).toMatch(/Trip to the museum.*Pinned.*Unread/);
    expect(await list.getByRole('link').count()).toBe(20);
    await screenshots(page, 'announcements-list');

    await page.getByRole('button', { name: '2', exact: true }).click();
    await expect.poll(() => page.url()).toContain('page=2');
    await expect.poll(() => list.getByRole('link').count()).toBe(OLDER + 1 - 20);
    expect(await list.getByRole('link', { name: /School news 1\b/ }).isVisible()).toBe(true);

    await page.locator('label', { hasText: /^Unread$/ }).click();
    await expect.poll(() => page.url()).toContain('show=unread');
    expect(page.url()).not.toContain('page=');

    await page.goto(`${server.url}/announcements`);
    await list.getByRole('link', { name: /Trip to the museum/ }).click();
    await page.getByRole('button', { name: 'Confirm I have read this' }).click();
    await expect.poll(() => page.getByText(/You confirmed reading this on/).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Edit' }).count()).toBe(0);
  });

  it('the teacher sees who has read it and who has not, changes it and deletes it after confirming', async () => {
    const page = await signedIn(TEACHER, TEACHING_START);
    await page.goto(`${server.url}/announcements`);
    await page.getByRole('link', { name: /Trip to the museum/ }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Read by' }).textContent()).toContain(STUDENT.name);
    expect(await page.getByRole('list', { name: 'Read by' }).textContent()).toContain(TEACHER.name);
    await screenshots(page, 'announcement-reads-lists');

    await page.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit' });
    await form.getByLabel(/^Title/).fill('Trip to the science museum');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Trip to the science museum' }).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this announcement?' });
    await dialog.getByRole('button', { name: 'Delete announcement' }).click();
    await page.waitForURL(`${server.url}/announcements`);
    await page.getByRole('list', { name: 'Announcements' }).waitFor();
    expect(await page.getByRole('link', { name: /science museum/ }).count()).toBe(0);
  });
});
