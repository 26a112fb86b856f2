import type { Page } from 'playwright-core';

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

/** Signs in through the form and waits for the role's start page. */
export async function signInThroughForm(
  page: Page,
  baseUrl: string,
  account: { username: string; password: string },
  institutionCode: string,
  startPath: string,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(account.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(account.password);
  await page.getByRole('textbox', { name: 'Institution code', exact: true }).fill(institutionCode);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}${startPath}`);
}

type Account = { name: string; username: string; password: string };

/** Through the API: an institution and its admin, a teacher leading class 7A and a student in it. */
export async function seedClass(baseUrl: string, accounts: { admin: Account & { institutionName: string }; teacher: Account; student: Account }) {
  const setup = await apiCall(baseUrl, 'POST', '/api/setup/admin', null, accounts.admin);
  const code = setup.institution.code as string;
  const admin = await apiLogin(baseUrl, accounts.admin.username, accounts.admin.password, code);
  const teacher = await apiCall(baseUrl, 'POST', '/api/users', admin, { ...accounts.teacher, role: 'teacher' });
  const student = await apiCall(baseUrl, 'POST', '/api/users', admin, { ...accounts.student, role: 'student' });
  const schoolClass = await apiCall(baseUrl, 'POST', '/api/classes', admin, { name: '7A', grade: 7, section: 'A', homeroomTeacherId: teacher.id });
  await apiCall(baseUrl, 'POST', `/api/classes/${schoolClass.id}/students`, admin, { studentIds: [student.id] });
  return { code, admin, teacher, student, schoolClass };
}
