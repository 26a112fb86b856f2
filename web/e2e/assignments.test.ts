import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshots } from './browser';
import { apiCall, apiLogin, personalPage, seedClass, signInThroughForm } from './school-api';
import { type RunningServer, startServer } from './server';
import { TEACHING_START } from './teaching-api';

const ADMIN = { institutionName: 'Hillside School', name: 'Ada Admin', username: 'ada.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Tess Teacher', username: 'tess.teacher', password: 'a-long-teacher-secret' };
const STUDENT = { name: 'Sam Student', username: 'sam.student', password: 'a-long-student-secret' };
const TITLE = 'Essay: my summer';

/** The smallest file the server's type sniffing takes for a PDF. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');

let server: RunningServer;
let browser: Browser;
let teacherPage: Page;
let studentPage: Page;
let code = '';
let studentToken = '';

const api = (method: string, url: string, token: string | null, body?: unknown) => apiCall(server.url, method, url, token, body);
const login = (username: string, password: string) => apiLogin(server.url, username, password, code);
const signIn = (page: Page, account: { username: string; password: string }) => signInThroughForm(page, server.url, account, code, TEACHING_START);

describe.skipIf(!hasChromium)('assignments in a real browser', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // The school through the API: an admin, a teacher leading class 7A, a student in it.
    ({ code } = await seedClass(server.url, { admin: ADMIN, teacher: TEACHER, student: STUDENT }));
    studentToken = await login(STUDENT.username, STUDENT.password);

    // Two people at two computers: separate contexts keep separate sessions.
    [teacherPage, studentPage] = await Promise.all([personalPage(browser), personalPage(browser)]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a teacher creates an assignment for their class with a PDF uploaded with progress', async () => {
    const page = teacherPage;
    await signIn(page, TEACHER);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Assignments' }).click();
    await expect.poll(() => page.getByText('You have not set any assignments yet.').isVisible()).toBe(true);
    await page.getByRole('link', { name: 'New assignment' }).click();
    await page.waitForURL(`${server.url}/assignments/new`);

    await page.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await page.getByRole('textbox', { name: 'Description' }).fill('Five hundred words about your summer.');
    await page.getByRole('combobox', { name: 'Classes' }).click();
    await page.getByRole('option', { name: '7A' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('textbox', { name: 'Maximum points' }).fill('20');
    await page.locator('input[type=file]').setInputFiles({ name: 'brief.pdf', mimeType: 'application/pdf', buffer: PDF });
    await expect.poll(() => page.getByRole('list', { name: 'Attached files' }).textContent()).toContain('brief.pdf');
    await screenshots(page, 'assignment-create');
    await page.getByRole('button', { name: 'Create assignment' }).click();

    await page.waitForURL(/\/assignments\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('heading', { name: TITLE, level: 1 }).isVisible()).toBe(true);
    expect(await page.getByRole('list', { name: 'Files' }).textContent()).toContain('brief.pdf');
    expect(await page.getByRole('row', { name: /Sam Student/ }).textContent()).toContain('To do');

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Assignments' }).click();
    await expect.poll(() => page.getByRole('row', { name: new RegExp(TITLE) }).textContent()).toContain('0 of 1');
  });

  it('a student sees it, downloads the brief and hands in text and a file', async () => {
    const page = studentPage;
    await signIn(page, STUDENT);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Assignments' }).click();
    await expect.poll(() => page.getByRole('row', { name: new RegExp(TITLE) }).textContent()).toContain('To do');
    await screenshots(page, 'assignments-student');
    await page.getByRole('link', { name: TITLE }).click();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'brief.pdf' }).click();
    expect((await download).suggestedFilename()).toBe('brief.pdf');

    await page.getByRole('textbox', { name: 'Your answer' }).fill('My summer was long and sunny.');
    await page.locator('input[type=file]').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('notes about my summer\n') });
    await expect.poll(() => page.getByRole('list', { name: 'Attached files' }).textContent()).toContain('notes.txt');
    await page.getByRole('button', { name: 'Hand in', exact: true }).click();

    await expect.poll(() => page.getByRole('status').textContent()).toContain('Your work has been handed in.');
    await expect.poll(() => page.getByTestId('assignment-status').textContent()).toBe('Handed in');
    await expect.poll(() => page.getByText('Version 1,').isVisible()).toBe(true);
    expect(await page.getByRole('list', { name: 'Files' }).last().textContent()).toContain('notes.txt');
    await screenshots(page, 'assignment-submit');
  });

  it('the teacher grades it; a newer version handed in meanwhile is explained, then graded', async () => {
    const page = teacherPage;
    await page.getByRole('link', { name: TITLE }).click();
    await expect.poll(() => page.getByRole('row', { name: /Sam Student/ }).textContent()).toContain('Handed in');
    await page.getByRole('button', { name: 'Grade the work of Sam Student' }).click();
    const dialog = page.getByRole('dialog', { name: 'Work of Sam Student' });
    await expect.poll(() => dialog.getByText('My summer was long and sunny.').isVisible()).toBe(true);
    expect(await dialog.getByRole('list', { name: 'Files' }).textContent()).toContain('notes.txt');

    // The student hands in again while the teacher reads version 1.
    const assignmentId = new URL(page.url()).pathname.split('/').pop() as string;
    await api('POST', `/api/assignments/${assignmentId}/submissions`, studentToken, { text: 'My summer was long, sunny and short.' });

    await dialog.getByRole('textbox', { name: 'Points (0 to 20)' }).fill('18');
    await dialog.getByRole('textbox', { name: 'Feedback' }).fill('Well written.');
    await dialog.getByRole('button', { name: 'Save grade' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toContain('handed in a newer version');
    await expect.poll(() => dialog.getByText('My summer was long, sunny and short.').isVisible()).toBe(true);
    await screenshots(page, 'assignment-grade');

    await dialog.getByRole('button', { name: 'Save grade' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => page.getByRole('row', { name: /Sam Student/ }).textContent()).toContain('Graded');
    expect(await page.getByRole('row', { name: /Sam Student/ }).textContent()).toContain('18');
  });

  it('the student sees the grade and feedback, and both versions', async () => {
    const page = studentPage;
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Assignments' }).click();
    await expect.poll(() => page.getByRole('row', { name: new RegExp(TITLE) }).textContent()).toContain('18 / 20 points');
    expect(await page.getByRole('row', { name: new RegExp(TITLE) }).textContent()).toContain('Well written.');
    await page.getByRole('link', { name: TITLE }).click();
    await expect.poll(() => page.getByTestId('grade').textContent()).toBe('18 / 20 points');
    expect(await page.getByRole('textbox', { name: 'Your answer' }).count()).toBe(0);
    await expect.poll(() => page.getByText(/^Version \d,/).count()).toBe(2);
    await screenshots(page, 'assignment-graded');
  });
});
