import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshots } from './browser';
import { apiCall, apiLogin, localDay, personalPage, seedClass, signInThroughForm } from './school-api';
import { type RunningServer, startServer } from './server';

const ADMIN = { institutionName: 'Hillside School', name: 'Ada Admin', username: 'ada.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Tess Teacher', username: 'tess.teacher', password: 'a-long-teacher-secret' };
const STUDENT = { name: 'Sam Student', username: 'sam.student', password: 'a-long-student-secret' };
const GUARDIAN = { name: 'Gina Guardian', username: 'gina.guardian', password: 'a-long-guardian-secret' };

let server: RunningServer;
let browser: Browser;
let page: Page;
let code = '';
let studentId = '';

const api = (method: string, url: string, token: string | null, body?: unknown) => apiCall(server.url, method, url, token, body);
const login = (username: string, password: string) => apiLogin(server.url, username, password, code);

describe.skipIf(!hasChromium)("a guardian's screens in a real browser", () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // The school through the API: class 7A led by a teacher, a student in it, their guardian linked,
    // one assignment handed in and graded.
    const seeded = await seedClass(server.url, { admin: ADMIN, teacher: TEACHER, student: STUDENT });
    code = seeded.code;
    const { admin, student, schoolClass } = seeded;
    const guardian = await api('POST', '/api/users', admin, { ...GUARDIAN, role: 'guardian' });
    studentId = student.id;
    await api('POST', `/api/students/${student.id}/guardians`, admin, { guardianId: guardian.id, relationship: 'mother', primary: true });

    const teacherToken = await login(TEACHER.username, TEACHER.password);
    const studentToken = await login(STUDENT.username, STUDENT.password);
    const assignment = await api('POST', '/api/assignments', teacherToken, {
      title: 'Fractions worksheet',
      classIds: [schoolClass.id],
      dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      maxPoints: 10,
    });
    const submission = await api('POST', `/api/assignments/${assignment.id}/submissions`, studentToken, { text: 'All done.' });
    await api('POST', `/api/submissions/${submission.id}/grade`, teacherToken, { points: 9, feedback: 'Very good.', version: submission.version });

    page = await personalPage(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the guardian lands on their children and sees class and homeroom teacher', async () => {
    await signInThroughForm(page, server.url, GUARDIAN, code, '/children');
    const card = page.getByRole('region', { name: STUDENT.name });
    await expect.poll(() => card.textContent()).toContain('Class 7A');
    expect(await card.textContent()).toContain(`Homeroom teacher: ${TEACHER.name}`);
    expect(await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My children' }).isVisible()).toBe(true);
    await screenshots(page, 'guardian-children');
  });

  it("opens the child's week and assignments with the released grade", async () => {
    await page.getByRole('region', { name: STUDENT.name }).getByRole('link', { name: 'Week' }).click();
    await page.waitForURL(`${server.url}/children/${studentId}/week`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(`${STUDENT.name}: This week`);
    await expect.poll(() => page.getByText('No lessons this week.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Next week' }).click();
    await expect.poll(() => page.url()).toContain('?week=');

    await page.getByRole('navigation', { name: `Pages of ${STUDENT.name}` }).getByRole('link', { name: 'Assignments' }).click();
    await page.waitForURL(`${server.url}/children/${studentId}/assignments`);
    const row = page.getByRole('row', { name: /Fractions worksheet/ });
    await expect.poll(() => row.textContent()).toContain('9 / 10 points');
    expect(await row.getByTestId('assignment-status').textContent()).toBe('Graded');
    await screenshots(page, 'guardian-child-assignments');
  });

  it('reports an absence ahead and sees it listed', async () => {
    await page.getByRole('navigation', { name: `Pages of ${STUDENT.name}` }).getByRole('link', { name: 'Attendance' }).click();
    await page.waitForURL(`${server.url}/children/${studentId}/attendance`);
    await expect.poll(() => page.getByText('No absences reported.').isVisible()).toBe(true);
    expect(await page.getByTestId('attendance-rate').textContent()).toBe('–');

    const day = localDay(2);
    await page.getByLabel(/^From/).fill(day);
    await page.getByLabel(/^To\b/).fill(day);
    await page.getByRole('textbox', { name: 'Reason' }).fill('Dentist appointment');
    await page.getByRole('button', { name: 'Report absence' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('The absence has been reported');
    const list = page.getByRole('list', { name: 'Known absences' });
    await expect.poll(() => list.textContent()).toContain('Dentist appointment');
    expect(await list.textContent()).toContain(day);
    expect(await list.textContent()).toContain(`Reported by ${GUARDIAN.name}`);
    await screenshots(page, 'guardian-child-attendance');
  });

  it("writes to the child's teacher, who gets it, and finds the child's teachers in the new-conversation picker", async () => {
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'My children' }).click();
    await page.getByRole('region', { name: STUDENT.name }).getByRole('link', { name: `Write to ${TEACHER.name}` }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(TEACHER.name);
    await page.getByRole('textbox', { name: 'Your message' }).fill('Sam has a dentist appointment on Thursday.');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => page.getByTestId('messages').getByText('Sam has a dentist appointment on Thursday.').isVisible()).toBe(true);
    await screenshots(page, 'guardian-conversation');

    const teacherToken = await login(TEACHER.username, TEACHER.password);
    const inbox = await api('GET', '/api/conversations', teacherToken);
    expect(inbox.items[0].partner.name).toBe(GUARDIAN.name);
    expect(inbox.items[0].lastMessage.message).toBe('Sam has a dentist appointment on Thursday.');
    expect(inbox.items[0].unreadCount).toBe(1);

    await page.getByRole('link', { name: 'All conversations' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Conversations' }).textContent()).toContain(TEACHER.name);
    await screenshots(page, 'guardian-messages');
    await page.getByRole('combobox', { name: 'Write to someone new' }).click();
    await expect.poll(() => page.getByRole('option', { name: `${TEACHER.name} (Teacher)` }).isVisible()).toBe(true);
  });
});
