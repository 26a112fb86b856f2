import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, screenshots } from './browser';
import { apiCall, fillSignInForm } from './school-api';
import { type RunningServer, startServer } from './server';

const ADMIN = { institution: 'Riverside Academy', name: 'Rita Principal', username: 'rita.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Tom Teacher', username: 'tom.teacher', password: 'a-long-teacher-secret' };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let institutionCode = '';

/** The API as the app's own session sees it: the token the page keeps in localStorage. */
async function storedToken(): Promise<string | null> {
  return page.evaluate(() => (JSON.parse(localStorage.getItem('crm.session') ?? 'null') as { token: string } | null)?.token ?? null);
}

async function apiGet(url: string, token: string | null) {
  const response = await fetch(server.url + url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const apiSend = (method: string, url: string, token: string, body?: unknown) => apiCall(server.url, method, url, token, body);
const signIn = (username: string, password: string, code = '') => fillSignInForm(page, { username, password }, code);

describe.skipIf(!hasChromium)('accounts in a real browser', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs up an institution and shows the code to hand out', async () => {
    await page.goto(`${server.url}/sign-up`);
    await screenshots(page, 'sign-up');
    await page.getByRole('textbox', { name: 'Institution name', exact: true }).fill(ADMIN.institution);
    await page.getByRole('textbox', { name: 'Your name', exact: true }).fill(ADMIN.name);
    await page.getByRole('textbox', { name: 'Admin username', exact: true }).fill(ADMIN.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Register' }).click();

    await expect.poll(() => page.getByRole('heading', { name: `${ADMIN.institution} is registered` }).isVisible()).toBe(true);
    institutionCode = (await page.getByTestId('institution-code').textContent()) ?? '';
    expect(institutionCode).toMatch(/^[A-Z0-9]{4,20}$/);
    await screenshots(page, 'sign-up-done');
  });

  it('signs the admin in (the sign-up hands over username and code) and shows the dashboard', async () => {
    await page.getByRole('link', { name: `Sign in as ${ADMIN.username}` }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Institution code', exact: true }).inputValue()).toBe(institutionCode);
    expect(await page.getByRole('textbox', { name: 'Username', exact: true }).inputValue()).toBe(ADMIN.username);
    await screenshots(page, 'sign-in');
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL(`${server.url}/admin`);
    await expect.poll(() => page.getByTestId('count-teachers').textContent()).toBe('0');
    expect(await page.getByTestId('count-classes').textContent()).toBe('0');
    // The sign-up and this sign-in are the institution's first activity.
    await expect.poll(() => page.getByRole('cell', { name: 'signed in', exact: true }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('cell', { name: 'created institution Riverside Academy', exact: true }).count()).toBe(1);
    await screenshots(page, 'admin-dashboard');
  });

  it('creates a teacher from the users list', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(`${server.url}/admin/users`);
    await expect.poll(() => page.getByText('No users match.').isVisible()).toBe(true);
    // The window is titled by the page and the institution, and focus moved from the navigation
    // entry to the page.
    await expect.poll(() => page.title()).toBe(`Users · ${ADMIN.institution}`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.getByRole('button', { name: 'Add user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(TEACHER.name);
    await dialog.getByRole('textbox', { name: 'Username', exact: true }).fill(TEACHER.username);
    await dialog.getByRole('textbox', { name: 'Initial password', exact: true }).fill(TEACHER.password);
    await dialog.getByRole('button', { name: 'Add user' }).click();

    await expect.poll(() => page.getByRole('cell', { name: TEACHER.name, exact: true }).isVisible()).toBe(true);
    await expect.poll(() => dialog.isVisible()).toBe(false);
    const users = await apiGet('/api/users', await storedToken());
    expect(users.body.items.map((user: { username: string; role: string; isActive: boolean }) => [user.username, user.role, user.isActive])).toEqual([
      [TEACHER.username, 'teacher', true],
    ]);
    await screenshots(page, 'admin-users');
  });

  it('signs out: back at sign-in, and the token no longer works', async () => {
    const token = await storedToken();
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    expect(await storedToken()).toBeNull();
    expect((await apiGet('/api/auth/me', token)).status).toBe(401);
  });

  it('says a wrong password in plain words', async () => {
    await signIn(ADMIN.username, 'not-the-password', institutionCode);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('The username, password or institution code is not right. Check them and try again.');
    expect(page.url()).toBe(`${server.url}/sign-in`);
    await screenshots(page, 'sign-in-error');
  });

  it('sends a deep link opened while signed out through sign-in and back to it', async () => {
    await page.goto(`${server.url}/admin/users?role=teacher`);
    await page.waitForURL(`${server.url}/sign-in?next=%2Fadmin%2Fusers%3Frole%3Dteacher`);
    await signIn(ADMIN.username, ADMIN.password, institutionCode);
    await page.waitForURL(`${server.url}/admin/users?role=teacher`);
    await expect.poll(() => page.getByRole('cell', { name: TEACHER.name, exact: true }).isVisible()).toBe(true);
  });

  it('sends a session the server ended (a 401) to sign-in and back to where you were', async () => {
    // Signing out elsewhere revokes every token of the account, this page's included.
    const token = await storedToken();
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL(`${server.url}/sign-in?next=%2Fadmin&expired=1`);
    await expect.poll(() => page.getByText('Your session has ended. Sign in to continue.').isVisible()).toBe(true);
    await signIn(ADMIN.username, ADMIN.password, institutionCode);
    await page.waitForURL(`${server.url}/admin`);
  });

  it("signs a teacher in with the institution code, to this week's lessons and no admin pages", async () => {
    // The admin gives the teacher a Monday first-period lesson (the bell schedule is the default one).
    const adminToken = (await storedToken())!;
    const teacherId = (await apiGet('/api/users?role=teacher', adminToken)).body.items[0].id as string;
    const subject = await apiSend('POST', '/api/subjects', adminToken, { name: 'Mathematics' });
    const schoolClass = await apiSend('POST', '/api/classes', adminToken, { name: '7A', grade: 7, section: 'A' });
    await apiSend('POST', '/api/schedules', adminToken, { classId: schoolClass.id, subjectId: subject.id, teacherId, day: 'monday', period: 1 });

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/sign-in`);
    await signIn(TEACHER.username, TEACHER.password, institutionCode);
    // A teacher starts on Today; the week is one step away.
    await page.waitForURL(`${server.url}/today`);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'This week' }).click();
    await page.waitForURL(`${server.url}/week`);
    await expect.poll(() => page.getByRole('heading', { name: 'This week', level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('table').getByText('Mathematics for 7A').isVisible()).toBe(true);
    await screenshots(page, 'teacher-week');

    await page.getByRole('button', { name: 'Next week' }).click();
    await page.waitForURL(/\/week\?week=\d{4}-W\d{2}$/);
    await page.getByRole('main').getByRole('link', { name: 'This week' }).click();
    await page.waitForURL(`${server.url}/week`);

    const navigation = page.getByRole('navigation', { name: 'Main navigation' });
    expect(await navigation.getByRole('link', { name: 'Users' }).count()).toBe(0);
    await page.goto(`${server.url}/admin/users`);
    await page.waitForURL(`${server.url}/today`);
  });

  it('changes the password: the new one signs in, the old one does not', async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Account' }).click();
    await page.getByRole('textbox', { name: 'Current password', exact: true }).fill(TEACHER.password);
    await page.getByRole('textbox', { name: 'New password', exact: true }).fill('a-brand-new-teacher-secret');
    await page.getByRole('textbox', { name: 'Repeat the new password', exact: true }).fill('a-brand-new-teacher-secret');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Your password has been changed' }).isVisible()).toBe(true);
    // The page carries on with the fresh token.
    expect((await apiGet('/api/auth/me', await storedToken())).body.user.username).toBe(TEACHER.username);
    await screenshots(page, 'change-password');

    const login = (password: string) =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: TEACHER.username, password, institutionCode }),
      });
    expect((await login(TEACHER.password)).status).toBe(401);
    expect((await login('a-brand-new-teacher-secret')).status).toBe(200);
  });
});
