import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshots } from './browser';
import { apiCall, fillSignInForm, type SeededStaff, startAdminSession } from './school-api';
import type { RunningServer } from './server';

const ADMIN = { institutionName: 'Hillside Academy', name: 'Hana Admin', username: 'hana.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Theo Teacher', username: 'theo.teacher', password: 'a-long-teacher-secret' };

let server: RunningServer;
let browser: Browser;
let page: Page;
let code = '';
let admin = '';
let classId = '';

const nav = () => page.getByRole('navigation', { name: 'Main navigation' });

/**
 * Through the API, beside the teacher: Mathematics and Physics, class 7A with Mathematics three periods
 * a week, and one Mathematics lesson on Monday in period 8 (the last period of a new institution).
 */
async function seedCurriculum({ baseUrl, adminToken, teacherId }: SeededStaff) {
  const maths = await apiCall(baseUrl, 'POST', '/api/subjects', adminToken, { name: 'Mathematics' });
  await apiCall(baseUrl, 'POST', '/api/subjects', adminToken, { name: 'Physics' });
  const schoolClass = await apiCall(baseUrl, 'POST', '/api/classes', adminToken, { name: '7A', grade: 7, section: 'A' });
  classId = schoolClass.id as string;
  await apiCall(baseUrl, 'PUT', `/api/classes/${classId}/subjects`, adminToken, [{ subjectId: maths.id, teacherId, periodsPerWeek: 3 }]);
  await apiCall(baseUrl, 'POST', '/api/schedules', adminToken, { classId, subjectId: maths.id, teacherId, day: 'monday', period: 8 });
}

/** Picks `option` in a searchable select after typing `search` into it. */
async function choose(combobox: ReturnType<Page['getByRole']>, search: string, option: string) {
  await combobox.click();
  await combobox.fill(search);
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe.skipIf(!hasChromium)("an admin's institution settings, bell schedule, classes and curriculum in a real browser", () => {
  beforeAll(async () => {
    ({ server, browser, page, code, adminToken: admin } = await startAdminSession({ admin: ADMIN, teacher: TEACHER }, seedCurriculum));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('changes the time zone, kept after a reload, and lets students write to each other', async () => {
    await nav().getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(`${server.url}/admin/settings`);
    const zone = page.getByRole('combobox', { name: 'Time zone of the institution' });
    await expect.poll(() => zone.inputValue()).toBe('UTC');
    await choose(zone, 'Berlin', 'Europe/Berlin');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('The time zone is now Europe/Berlin.');
    await page.reload();
    await expect.poll(() => zone.inputValue()).toBe('Europe/Berlin');

    const studentToStudent = page.getByRole('switch', { name: 'Students may write to other students' });
    expect(await studentToStudent.isChecked()).toBe(false);
    // click(), not check(): the switch turns once the mutation's onMutate has run (after an await),
    // a moment later than check() looks.
    await studentToStudent.click();
    await expect.poll(() => studentToStudent.isChecked()).toBe(true);
    await expect.poll(async () => (await apiCall(server.url, 'GET', '/api/settings/messaging', admin)).studentToStudent).toBe(true);
    await screenshots(page, 'settings-institution');
    await page.reload();
    await expect.poll(() => studentToStudent.isChecked()).toBe(true);
  });

  it('adds a period to the bell schedule and explains which lesson stops a period being removed', async () => {
    await nav().getByRole('link', { name: 'Bell schedule' }).click();
    await page.waitForURL(`${server.url}/admin/bell-schedule`);
    await page.getByRole('button', { name: 'Add a period' }).click();
    expect(await page.getByLabel('Period 9 starts').inputValue()).toBe('15:05');
    expect(await page.getByLabel('Period 9 ends').inputValue()).toBe('15:50');

    // Checked before saving: a period that ends before it starts cannot be saved.
    await page.getByLabel('Period 9 ends').fill('15:00');
    await expect.poll(() => page.getByText('Period 9 must end after it starts (15:05).').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Save bell schedule' }).isDisabled()).toBe(true);
    await page.getByLabel('Period 9 ends').fill('15:50');
    await page.getByRole('button', { name: 'Save bell schedule' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('The bell schedule has been saved.');
    expect((await apiCall(server.url, 'GET', '/api/bell-schedule', admin)).periods.at(-1)).toEqual({ number: 9, start: '15:05', end: '15:50' });

    // Periods 9 and 8 go; Monday's lesson in period 8 would be left outside the week.
    await page.getByRole('button', { name: 'Remove period 9' }).click();
    await page.getByRole('button', { name: 'Remove period 8' }).click();
    await page.getByRole('button', { name: 'Save bell schedule' }).click();
    const refusal = page.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('Monday, period 8: Mathematics with class 7A (Theo Teacher)');
    expect(await refusal.textContent()).toContain('1 lesson of the timetable is on a day or in a period this schedule removes, so nothing was saved.');
    expect((await apiCall(server.url, 'GET', '/api/bell-schedule', admin)).periods).toHaveLength(9);
    await screenshots(page, 'settings-bell-schedule');
  });

  it('edits a class and its curriculum, and shows scheduled and missing periods once saved', async () => {
    await page.goto(`${server.url}/admin/classes/${classId}`);
    await page.getByRole('button', { name: 'Edit class' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Class').fill('7C');
    await dialog.getByLabel('Section').fill('C');
    await choose(dialog.getByRole('combobox', { name: 'Homeroom teacher' }), 'Theo', TEACHER.name);
    await dialog.getByLabel('Maximum students').fill('28');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Class 7C');
    expect(await page.getByText(`Grade 7, section C; homeroom teacher: ${TEACHER.name}`).isVisible()).toBe(true);
    expect(await page.getByTestId('class-capacity').textContent()).toBe('0 / 28 students');

    await page.getByRole('button', { name: 'Edit curriculum' }).click();
    await page.getByRole('button', { name: 'Add a subject' }).click();
    await choose(page.getByRole('combobox', { name: 'Subject, row 2' }), 'Phys', 'Physics');
    await choose(page.getByRole('combobox', { name: 'Teacher, row 2' }), 'Theo', TEACHER.name);
    await page.getByRole('textbox', { name: 'Periods a week, row 2' }).fill('2');
    await page.getByRole('textbox', { name: 'Periods a week, row 1' }).fill('4');
    await screenshots(page, 'admin-curriculum-editor');
    await page.getByRole('button', { name: 'Save curriculum' }).click();

    const curriculum = page.getByRole('table', { name: 'Curriculum' });
    await expect.poll(() => curriculum.getByRole('row', { name: /Physics/ }).textContent()).toBe(`Physics${TEACHER.name}–202`);
    expect(await curriculum.getByRole('row', { name: /Mathematics/ }).textContent()).toBe(`Mathematics${TEACHER.name}–413`);
    await screenshots(page, 'admin-class-edited');
  });

  it('deletes a class after saying what goes with it', async () => {
    const doomed = await apiCall(server.url, 'POST', '/api/classes', admin, { name: '9Z', grade: 9, section: 'Z' });
    await page.goto(`${server.url}/admin/classes/${doomed.id}`);
    await page.getByRole('button', { name: 'Delete class' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete class 9Z?' });
    expect(await dialog.textContent()).toContain('together with its enrollments');
    expect(await dialog.textContent()).toContain('its curriculum and all its lessons in the timetable');
    await dialog.getByRole('button', { name: 'Delete the class' }).click();
    await page.waitForURL(`${server.url}/admin/classes`);
    await expect.poll(() => page.getByRole('link', { name: '7C' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: '9Z' }).count()).toBe(0);
    await screenshots(page, 'admin-classes');
  });

  it('deletes the institution only after its name is typed, and ends at sign-in where the account is gone', async () => {
    await nav().getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Delete the institution…' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete ${ADMIN.institutionName} for good?` });
    const submit = dialog.getByRole('button', { name: 'Delete the institution' });
    await dialog.getByLabel('Your admin password').fill(ADMIN.password);
    await dialog.getByRole('textbox', { name: /Type the institution name/ }).fill('Hillside');
    expect(await submit.isDisabled()).toBe(true);
    await screenshots(page, 'settings-delete-institution');
    await dialog.getByRole('textbox', { name: /Type the institution name/ }).fill(ADMIN.institutionName);
    expect(await submit.isDisabled()).toBe(false);
    await submit.click();

    await page.waitForURL(`${server.url}/sign-in?deleted=1`);
    await fillSignInForm(page, ADMIN, code);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('The username, password or institution code is not right. Check them and try again.');
  });
});
