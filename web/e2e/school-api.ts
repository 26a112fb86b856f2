import type { Browser, Page } from 'playwright-core';
import { DESKTOP, launchBrowser } from './browser';
import { type RunningServer, startServer } from './server';

/** Seeding a school through the API beside the browser: one JSON call, throwing on any non-2xx answer. */
export async function apiCall(baseUrl: string, method: string, url: string, token: string | null, body?: unknown) {
  const response = await fetch(baseUrl + url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = (await response.json()) as Record<string, any>;
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(data)}`);
  return data;
}

/** A bearer token for a member of the institution with this code. */
export async function apiLogin(baseUrl: string, username: string, password: string, institutionCode: string): Promise<string> {
  return (await apiCall(baseUrl, 'POST', '/api/auth/login', null, { username, password, institutionCode })).token as string;
}

type Credentials = { username: string; password: string };

/** Fills in the sign-in form the page shows and sends it. */
export async function fillSignInForm(page: Page, account: Credentials, institutionCode: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(account.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(account.password);
  await page.getByRole('textbox', { name: 'Institution code', exact: true }).fill(institutionCode);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in through the form and waits for the role's start page. */
export async function signInThroughForm(page: Page, baseUrl: string, account: Credentials, institutionCode: string, startPath: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await fillSignInForm(page, account, institutionCode);
  await page.waitForURL(`${baseUrl}${startPath}`);
}

/** One person at their own computer: a context of its own keeps its own session. */
export async function personalPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** A date `days` from today in the browser's (and the server's) local calendar, as YYYY-MM-DD (what a date input takes). */
export function localDay(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

type Account = { name: string; username: string; password: string };
type AdminAccount = Account & { institutionName: string };

/** Through the API: a new institution, its code and a token of its admin. */
export async function seedInstitution(baseUrl: string, adminAccount: AdminAccount): Promise<{ code: string; admin: string }> {
  const setup = await apiCall(baseUrl, 'POST', '/api/setup/admin', null, adminAccount);
  const code = setup.institution.code as string;
  return { code, admin: await apiLogin(baseUrl, adminAccount.username, adminAccount.password, code) };
}

/** Through the API: an institution and its admin, a teacher leading class 7A and a student in it. */
export async function seedClass(baseUrl: string, accounts: { admin: AdminAccount; teacher: Account; student: Account }) {
  const { code, admin } = await seedInstitution(baseUrl, accounts.admin);
  const teacher = await apiCall(baseUrl, 'POST', '/api/users', admin, { ...accounts.teacher, role: 'teacher' });
  const student = await apiCall(baseUrl, 'POST', '/api/users', admin, { ...accounts.student, role: 'student' });
  const schoolClass = await apiCall(baseUrl, 'POST', '/api/classes', admin, { name: '7A', grade: 7, section: 'A', homeroomTeacherId: teacher.id });
  await apiCall(baseUrl, 'POST', `/api/classes/${schoolClass.id}/students`, admin, { studentIds: [student.id] });
  return { code, admin, teacher, student, schoolClass };
}

/** What `startAdminSession` has seeded when it hands over to a test file's own seeding. */
export interface SeededStaff {
  baseUrl: string;
  adminToken: string;
  teacherId: string;
}

export interface AdminSession {
  server: RunningServer;
  browser: Browser;
  /** A desktop page signed in as the admin, on the admin's start page. */
  page: Page;
  code: string;
  adminToken: string;
  teacherId: string;
}

/**
 * A test file's server and browser, an institution seeded through the API (its admin, a teacher,
 * a student when given, then whatever `seedMore` adds before anyone signs in) and the admin
 * signed in through the form. Whatever started is stopped again if a step fails.
 */
export async function startAdminSession(
  accounts: { admin: AdminAccount; teacher: Account; student?: Account },
  seedMore?: (staff: SeededStaff) => Promise<void>,
): Promise<AdminSession> {
  const [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  try {
    const { code, admin: adminToken } = await seedInstitution(server.url, accounts.admin);
    const teacherId = (await apiCall(server.url, 'POST', '/api/users', adminToken, { ...accounts.teacher, role: 'teacher' })).id as string;
    if (accounts.student) await apiCall(server.url, 'POST', '/api/users', adminToken, { ...accounts.student, role: 'student' });
    await seedMore?.({ baseUrl: server.url, adminToken, teacherId });
    const page = await personalPage(browser);
    await signInThroughForm(page, server.url, accounts.admin, code, '/admin');
    return { server, browser, page, code, adminToken, teacherId };
  } catch (error) {
    await browser.close();
    await server.stop();
    throw error;
  }
}
