import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, screenshots } from './browser';
import { apiCall, startAdminSession } from './school-api';
import type { RunningServer } from './server';

const ADMIN = { institutionName: 'Lakeside School', name: 'Lena Admin', username: 'lena.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Theo Teacher', username: 'theo.teacher', password: 'a-long-teacher-secret' };
const STUDENT = { name: 'Sara Student', username: 'sara.student', password: 'a-long-student-secret' };

let server: RunningServer;
let browser: Browser;
let page: Page;
let adminToken = '';
let teacherId = '';

const nav = () => page.getByRole('navigation', { name: 'Main navigation' });

describe.skipIf(!hasChromium)("an admin's subjects, rooms and classes in a real browser", () => {
  beforeAll(async () => {
    ({ server, browser, page, adminToken, teacherId } = await startAdminSession({ admin: ADMIN, teacher: TEACHER, student: STUDENT }));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a subject and a room', async () => {
    await nav().getByRole('link', { name: 'Subjects' }).click();
    await page.waitForURL(`${server.url}/admin/subjects`);
    await expect.poll(() => page.getByText('No subjects match.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Add subject' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Subject').fill('Astronomy');
    await dialog.getByLabel('Code').fill('ASTR');
    await dialog.getByLabel(/^Colour/).fill('#283593');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Astronomy/ }).textContent()).toContain('ASTR');
    await screenshots(page, 'admin-subjects');

    await nav().getByRole('link', { name: 'Rooms' }).click();
    await page.waitForURL(`${server.url}/admin/rooms`);
    await page.getByRole('button', { name: 'Add room' }).click();
    await page.getByRole('dialog').getByLabel('Room').fill('Lab 2');
    await page.getByRole('dialog').getByLabel('Seats').fill('30');
    await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Lab 2/ }).textContent()).toContain('30');
    await screenshots(page, 'admin-rooms');
  });

  it('creates a class, enrolls a student and sees the capacity update', async () => {
    await nav().getByRole('link', { name: 'Classes' }).click();
    await page.waitForURL(`${server.url}/admin/classes`);
    await expect.poll(() => page.getByText('No classes match.').isVisible()).toBe(true);
    await screenshots(page, 'admin-classes-empty');
    await page.getByRole('button', { name: 'Add class' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Class').fill('8B');
    await dialog.getByLabel('Grade').click();
    await page.getByRole('option', { name: '8', exact: true }).click();
    await dialog.getByLabel('Section').fill('B');
    await dialog.getByLabel('Homeroom teacher').click();
    await page.getByRole('option', { name: TEACHER.name }).click();
    await dialog.getByLabel('Maximum students').fill('2');
    await dialog.getByRole('button', { name: 'Add class' }).click();
    await page.waitForURL(/\/admin\/classes\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Class 8B');
    expect(await page.getByTestId('class-capacity').textContent()).toBe('0 / 2 students');

    await page.getByRole('combobox', { name: 'Add students' }).fill('Sara');
    await page.getByRole('option', { name: /Sara Student/ }).click();
    await page.getByRole('button', { name: 'Enroll' }).click();
    await expect.poll(() => page.getByTestId('class-capacity').textContent()).toBe('1 / 2 students');
    expect(await page.getByRole('table', { name: 'Students' }).textContent()).toContain(STUDENT.name);
    await screenshots(page, 'admin-class');

    // Taken out and enrolled again: the list and the count follow at once.
    await page.getByRole('button', { name: `Remove ${STUDENT.name} from the class` }).click();
    await expect.poll(() => page.getByTestId('class-capacity').textContent()).toBe('0 / 2 students');
    expect(await page.getByText('No students in this class yet.').isVisible()).toBe(true);
    await page.getByRole('combobox', { name: 'Add students' }).fill('Sara');
    await page.getByRole('option', { name: /Sara Student/ }).click();
    await page.getByRole('button', { name: 'Enroll' }).click();
    await expect.poll(() => page.getByTestId('class-capacity').textContent()).toBe('1 / 2 students');
  });

  it('explains in plain words why a subject in use cannot be deleted', async () => {
    // The class's curriculum through the API: Astronomy three periods a week, none scheduled yet.
    const classId = page.url().split('/').pop() as string;
    const subject = (await apiCall(server.url, 'GET', '/api/subjects?q=Astronomy', adminToken)).items[0];
    await apiCall(server.url, 'PUT', `/api/classes/${classId}/subjects`, adminToken, [{ subjectId: subject.id, teacherId, periodsPerWeek: 3 }]);
    await page.reload();
    const row = page.getByRole('table', { name: 'Curriculum' }).getByRole('row', { name: /Astronomy/ });
    await expect.poll(() => row.textContent()).toBe(`Astronomy${TEACHER.name}–303`);

    await nav().getByRole('link', { name: 'Subjects' }).click();
    await page.getByRole('button', { name: 'Delete Astronomy' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect
      .poll(() => page.getByRole('dialog').getByRole('alert').textContent())
      .toBe('This cannot be deleted while it is still used by 1 class curriculum row. Remove it from those first.');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(await page.getByRole('row', { name: /Astronomy/ }).isVisible()).toBe(true);
  });
});
