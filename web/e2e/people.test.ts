import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshots } from './browser';
import { seedPartlyScheduledClasses } from './people-api';
import { apiCall, apiLogin, localDay, personalPage, signInThroughForm, startAdminSession } from './school-api';
import type { RunningServer } from './server';
import { TEACHING_START } from './teaching-api';

const ADMIN = { institutionName: 'Hillside College', name: 'Hana Admin', username: 'hana.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Tariq Teacher', username: 'tariq.teacher', password: 'a-long-teacher-secret' };
const STUDENT = { name: 'Sofia Student', username: 'sofia.student', password: 'a-long-student-secret' };

let server: RunningServer;
let browser: Browser;
let page: Page;
let code = '';
let adminToken = '';
let teacherId = '';

const nav = () => page.getByRole('navigation', { name: 'Main navigation' });
const usernames = async () =>
  ((await apiCall(server.url, 'GET', '/api/users?limit=100', adminToken)).items as { username: string }[]).map((user) => user.username).sort();

/** A CSV file on disk, for the file chooser. */
function csvFile(name: string, lines: string[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'crm-people-')), name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const HEADER = 'username,password,role,name,email,guardianOf';
const GOOD_ROWS = [
  'nina.new,a-long-password-1,teacher,Nina Newton,nina@hillside.example,',
  'pablo.pupil,a-long-password-2,student,Pablo Pupil,,',
  'gina.guardian,a-long-password-3,guardian,Gina Guardian,,pablo.pupil;sofia.student',
];

describe.skipIf(!hasChromium)("an admin's people and activity in a real browser", () => {
  beforeAll(async () => {
    ({ server, browser, page, code, adminToken, teacherId } = await startAdminSession({ admin: ADMIN, teacher: TEACHER, student: STUDENT }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('previews a CSV with a bad row, importing nothing, then imports the fixed file', async () => {
    await nav().getByRole('link', { name: 'Users' }).click();
    await page.waitForURL(`${server.url}/admin/users`);
    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import users from a CSV file' });
    const before = await usernames();

    // Row 3 has a short password and no such role; the other rows are fine.
    await dialog.locator('input[type="file"]').setInputFiles(
      csvFile('users.csv', [HEADER, GOOD_ROWS[0]!, 'pablo.pupil,short,pupil,Pablo Pupil,,', GOOD_ROWS[2]!]),
    );
    const summary = dialog.getByRole('status');
    // Gina's row names pablo.pupil, whose row is refused: said on her row too, as the import would.
    await expect.poll(() => summary.textContent()).toBe('2 of 3 rows have errors. Fix them and check again: nothing is imported while any row has an error.');
    const errorsOfRow = (row: number) => dialog.getByRole('row').filter({ has: page.getByRole('cell', { name: String(row), exact: true }) }).getByRole('listitem').allTextContents();
    expect(await errorsOfRow(3)).toEqual(['Password: must be at least 8 characters', 'Role: must be one of teacher, student, guardian']);
    expect(await errorsOfRow(4)).toEqual(['Guardian of: "pablo.pupil" is no student of the institution or of this file']);
    expect(await dialog.getByRole('button', { name: /^Import \d+ users$/ }).count()).toBe(0);
    await screenshots(page, 'admin-users-import-preview');
    expect(await usernames()).toEqual(before);

    // The rows are in the text box: fixing row 3 there and checking again makes the file importable.
    const rows = dialog.getByRole('textbox', { name: 'The rows' });
    await rows.fill([HEADER, ...GOOD_ROWS].join('\n'));
    await dialog.getByRole('button', { name: 'Check the rows' }).click();
    await expect.poll(() => summary.textContent()).toBe('Every row is right. Users to create: 3. Guardian links to make: 2.');
    expect(await usernames()).toEqual(before);
    await dialog.getByRole('button', { name: 'Import 3 users' }).click();

    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Imported. Users created: 3. Guardian links made: 2.' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('cell', { name: 'Gina Guardian', exact: true }).isVisible()).toBe(true);
    expect(await usernames()).toEqual([...before, 'gina.guardian', 'nina.new', 'pablo.pupil'].sort());
    await screenshots(page, 'admin-users');
  });

  it('edits a user and resets their password: the new one signs in and their old session ends', async () => {
    const teacherToken = await apiLogin(server.url, TEACHER.username, TEACHER.password, code);
    await page.getByRole('button', { name: `Edit ${TEACHER.name}` }).click();
    const edit = page.getByRole('dialog', { name: `Edit ${TEACHER.name}` });
    await edit.getByRole('textbox', { name: 'Name', exact: true }).fill('Tariq Teachwell');
    await edit.getByRole('textbox', { name: 'Email', exact: true }).fill('tariq@hillside.example');
    await screenshots(page, 'admin-users-edit');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'Tariq Teachwell', exact: true }).isVisible()).toBe(true);
    const teacher = await apiCall(server.url, 'GET', `/api/users/${teacherId}`, adminToken);
    expect([teacher.name, teacher.email, teacher.username]).toEqual(['Tariq Teachwell', 'tariq@hillside.example', TEACHER.username]);

    await page.getByRole('button', { name: 'Reset password of Tariq Teachwell' }).click();
    const reset = page.getByRole('dialog', { name: 'Reset the password of Tariq Teachwell' });
    expect(await reset.textContent()).toContain('This signs Tariq Teachwell out everywhere');
    await reset.getByRole('textbox', { name: 'New password', exact: true }).fill('a-fresh-teacher-secret');
    await screenshots(page, 'admin-users-reset-password');
    await reset.getByRole('button', { name: 'Set the new password' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'The password of Tariq Teachwell has been changed and Tariq Teachwell has been signed out everywhere.' }).isVisible())
      .toBe(true);

    expect((await fetch(`${server.url}/api/auth/me`, { headers: { authorization: `Bearer ${teacherToken}` } })).status).toBe(401);
    await expect(apiLogin(server.url, TEACHER.username, TEACHER.password, code)).rejects.toThrow(/401/);
    const teacherPage = await personalPage(browser);
    await signInThroughForm(teacherPage, server.url, { username: TEACHER.username, password: 'a-fresh-teacher-secret' }, code, TEACHING_START);
    await teacherPage.context().close();
  });

  it('deactivates and reactivates a user, each behind a confirmation', async () => {
    await page.getByRole('button', { name: `Deactivate ${STUDENT.name}` }).click();
    const confirm = page.getByRole('dialog', { name: `Deactivate ${STUDENT.name}?` });
    await confirm.getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => page.getByRole('row', { name: new RegExp(STUDENT.name) }).textContent()).toContain('Deactivated');
    await expect(apiLogin(server.url, STUDENT.username, STUDENT.password, code)).rejects.toThrow(/403|401/);

    await page.getByRole('button', { name: `Reactivate ${STUDENT.name}` }).click();
    await page.getByRole('dialog', { name: `Reactivate ${STUDENT.name}?` }).getByRole('button', { name: 'Reactivate' }).click();
    await expect.poll(() => page.getByRole('row', { name: new RegExp(STUDENT.name) }).textContent()).toContain('Active');
    expect(await apiLogin(server.url, STUDENT.username, STUDENT.password, code)).toEqual(expect.any(String));
  });

  it('filters the activity log by action, user and dates, keeping the filters in the address', async () => {
    await nav().getByRole('link', { name: 'Activity log' }).click();
    await page.waitForURL(`${server.url}/admin/activity`);
    await expect.poll(() => page.getByRole('cell', { name: 'signed in', exact: true }).count()).toBeGreaterThan(0);

    await page.getByRole('combobox', { name: 'Action' }).click();
    await page.getByRole('option', { name: 'imported', exact: true }).click();
    await page.waitForURL(`${server.url}/admin/activity?action=import`);
    await expect.poll(() => page.getByText('1 entry', { exact: true }).isVisible()).toBe(true);
    const importRow = page.getByRole('row').filter({ hasText: 'imported user' });
    // Details as jsonb keeps them: shorter keys first.
    expect(await importRow.getByRole('cell').allTextContents()).toEqual([expect.any(String), 'Hana Admin (Admin)', 'imported user', 'linked: 2; created: 3']);
    await screenshots(page, 'admin-activity');

    // The same filters after a reload, then the teacher's own entries only.
    await page.reload();
    await expect.poll(() => page.getByRole('combobox', { name: 'Action' }).inputValue()).toBe('imported');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL(`${server.url}/admin/activity`);
    await page.getByRole('combobox', { name: 'Who' }).fill('Tariq');
    await page.getByRole('option', { name: 'Tariq Teachwell (Teacher)' }).click();
    await expect.poll(() => page.url()).toBe(`${server.url}/admin/activity?user=${teacherId}`);
    await expect.poll(async () => new Set(await page.getByRole('region', { name: 'Activity entries' }).getByRole('row').locator('td:nth-child(2)').allTextContents())).toEqual(
      // The log keeps the name a person had when they acted.
      new Set(['Tariq Teacher (Teacher)', 'Tariq Teachwell (Teacher)']),
    );
    expect(await page.getByRole('cell', { name: 'signed in', exact: true }).count()).toBeGreaterThan(0);

    const day = localDay(1);
    await page.getByLabel('From (date)').fill(day);
    await expect.poll(() => page.getByText('No activity matches these filters.').isVisible()).toBe(true);
    expect(new URL(page.url()).searchParams.get('from')).toBe(day);
  });

  it("shows the dashboard's figures, the curriculum periods not yet scheduled among them", async () => {
    const { unscheduledPeriods, classesMissingPeriods } = await seedPartlyScheduledClasses(server.url, adminToken, teacherId);
    await nav().getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL(`${server.url}/admin`);
    await expect.poll(() => page.getByTestId('count-unscheduled').textContent()).toBe(String(unscheduledPeriods));
    expect(await page.getByText(`in ${classesMissingPeriods} classes`).isVisible()).toBe(true);
    expect(await page.getByTestId('count-classes').textContent()).toBe('2');
    expect(await page.getByTestId('count-teachers').textContent()).toBe('2');
    expect(await page.getByTestId('count-students').textContent()).toBe('2');
    expect(await page.getByTestId('count-guardians').textContent()).toBe('1');
    // The ten newest entries, the classes just made among them.
    await expect.poll(() => page.getByRole('cell', { name: 'created class 7B', exact: true }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Activity entries' }).getByRole('row').count()).toBe(11);
    await screenshots(page, 'admin-dashboard');

    await page.getByRole('link', { name: 'See the whole activity log' }).click();
    await page.waitForURL(`${server.url}/admin/activity`);
  });
});
