import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, screenshots } from './browser';
import { apiCall, apiLogin, personalPage, seedClass, signInThroughForm } from './school-api';
import { type RunningServer, startServer } from './server';
import { periodAt, seedAssignment, seedGrade, seedTodaysLessons, TEACHING_START, todayInUtc } from './teaching-api';

const ADMIN = { institutionName: 'Brookside School', name: 'Ada Admin', username: 'ada.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Tess Teacher', username: 'tess.teacher', password: 'a-long-teacher-secret' };
const STUDENT = { name: 'Sam Student', username: 'sam.student', password: 'a-long-student-secret' };
const QUIZ = 'Fractions quiz';
const REVISED = 'Fractions quiz (revised)';
const SCRAPPED = 'Worksheet set by mistake';
const OVERDUE = 'Spelling list';

let server: RunningServer;
let browser: Browser;
let teacherPage: Page;
let studentPage: Page;
let code = '';
let lessons: { id: string; period: number }[] = [];
let quizId = '';
let adminToken = '';

const mainNavigation = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });

describe.skipIf(!hasChromium)("a teacher's and a student's day in a real browser", () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const school = await seedClass(server.url, { admin: ADMIN, teacher: TEACHER, student: STUDENT });
    code = school.code;
    adminToken = school.admin;
    const classId = school.schoolClass.id as string;
    lessons = await seedTodaysLessons(server.url, school.admin, { classId, teacherId: school.teacher.id, subjectName: 'Mathematics' });
    const teacher = await apiLogin(server.url, TEACHER.username, TEACHER.password, code);
    const student = await apiLogin(server.url, STUDENT.username, STUDENT.password, code);
    quizId = await seedAssignment(server.url, teacher, { title: QUIZ, classId, maxPoints: 20, dueInMs: 7 * 86_400_000 });
    await seedGrade(server.url, { teacher, student }, quizId, 17);
    await seedAssignment(server.url, teacher, { title: SCRAPPED, classId, maxPoints: 10, dueInMs: 7 * 86_400_000 });
    // The API takes only future due dates: this one passes while the browser starts.
    await seedAssignment(server.url, teacher, { title: OVERDUE, classId, maxPoints: 10, dueInMs: 1_500 });

    [teacherPage, studentPage] = await Promise.all([personalPage(browser), personalPage(browser)]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("the teacher's Today lists today's lessons, marks the one going on and links each to its register", async () => {
    const page = teacherPage;
    await signInThroughForm(page, server.url, TEACHER, code, TEACHING_START);
    await mainNavigation(page).getByRole('link', { name: 'Today' }).click();
    await page.waitForURL(`${server.url}/today`);

    const list = page.getByRole('list', { name: 'Today’s lessons' });
    await list.waitFor();
    expect(await list.getByRole('listitem').count()).toBe(3);
    expect(await list.textContent()).toContain('Mathematics for 7A');
    const { date } = todayInUtc();
    for (const lesson of lessons) {
      const link = list.getByRole('link', { name: `Take register: Mathematics, 7A, period ${lesson.period}` });
      expect(await link.getAttribute('href')).toBe(`/register/lessons/${lesson.id}?date=${date}`);
    }
    const current = periodAt();
    if (current !== undefined) {
      const now = list.locator('[aria-current="time"]');
      expect(await now.count()).toBe(1);
      expect(await now.textContent()).toContain(`Period ${current}`);
      expect(await now.textContent()).toContain('Now');
    }
    await screenshots(page, 'teaching-today-teacher');
  });

  it("the teacher opens a class's students and its gradebook, and downloads it as CSV", async () => {
    const page = teacherPage;
    await mainNavigation(page).getByRole('link', { name: 'My classes' }).click();
    await page.waitForURL(`${server.url}/classes`);
    await expect.poll(() => page.getByRole('listitem').filter({ hasText: '7A' }).textContent()).toContain('1 of 40 students');
    await screenshots(page, 'teaching-classes');

    await page.getByRole('link', { name: '7A', exact: true }).click();
    await page.getByRole('heading', { name: 'Students of 7A', level: 1 }).waitFor();
    await expect.poll(() => page.getByRole('row', { name: /Sam Student/ }).textContent()).toContain('sam.student');
    await screenshots(page, 'teaching-class-students');

    await page.getByRole('navigation', { name: 'Pages of class 7A' }).getByRole('link', { name: 'Gradebook' }).click();
    await page.waitForURL(/\/classes\/[0-9a-f-]{36}\/gradebook$/);
    const row = page.getByRole('row', { name: /Sam Student/ });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toContain('17');
    expect(await page.getByRole('columnheader', { name: QUIZ }).textContent()).toContain('out of 20');
    await screenshots(page, 'teaching-gradebook');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('gradebook-7A.csv');
    const csv = await readFile((await file.path()) as string, 'utf8');
    expect(csv).toContain(QUIZ);
    expect(csv.split(/\r?\n/).find((line) => line.includes('Sam Student'))).toContain('17');
  });

  it('the teacher edits the title and due date of an assignment, and deletes another after confirming', async () => {
    const page = teacherPage;
    await page.getByRole('link', { name: QUIZ }).click();
    await page.waitForURL(`${server.url}/assignments/${quizId}`);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.waitForURL(`${server.url}/assignments/${quizId}/edit`);

    const title = page.getByRole('textbox', { name: 'Title' });
    await expect.poll(() => title.inputValue()).toBe(QUIZ);
    await title.fill(REVISED);
    const due = new Date(Date.now() + 14 * 86_400_000);
    const dueValue = `${due.getFullYear()}-${String(due.getMonth() + 1).padStart(2, '0')}-${String(due.getDate()).padStart(2, '0')}T09:30`;
    await page.getByLabel('Due date and time').fill(dueValue);
    await screenshots(page, 'assignment-edit');
    await page.getByRole('button', { name: 'Save changes' }).click();

    await page.waitForURL(`${server.url}/assignments/${quizId}`);
    await page.getByRole('heading', { name: REVISED, level: 1 }).waitFor();
    const shown = await page.evaluate((value) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value)), dueValue);
    expect(await page.getByText(/^Due /).first().textContent()).toBe(`Due ${shown}`);
    const teacherToken = await apiLogin(server.url, TEACHER.username, TEACHER.password, code);
    const stored = await apiCall(server.url, 'GET', `/api/assignments/${quizId}`, teacherToken);
    expect(stored.title).toBe(REVISED);
    expect(Date.parse(stored.dueAt)).toBe(await page.evaluate((value) => new Date(value).getTime(), dueValue));

    await mainNavigation(page).getByRole('link', { name: 'Assignments' }).click();
    await page.getByRole('link', { name: SCRAPPED }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: `Delete “${SCRAPPED}”?` });
    await expect.poll(() => dialog.textContent()).toContain('cannot be undone');
    await screenshots(page, 'assignment-delete');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.waitForURL(`${server.url}/assignments`);
    await page.getByRole('row', { name: REVISED }).waitFor();
    expect(await page.getByRole('link', { name: SCRAPPED }).count()).toBe(0);
  });

  it("the student's Today has their lessons without register links, and their assignments mark the overdue one in red", async () => {
    const page = studentPage;
    await signInThroughForm(page, server.url, STUDENT, code, TEACHING_START);
    await mainNavigation(page).getByRole('link', { name: 'Today' }).click();
    const list = page.getByRole('list', { name: 'Today’s lessons' });
    await list.waitFor();
    expect(await list.getByRole('listitem').count()).toBe(3);
    expect(await list.textContent()).toContain('Mathematics with Tess Teacher');
    expect(await list.getByRole('link').count()).toBe(0);
    await screenshots(page, 'teaching-today-student');

    await mainNavigation(page).getByRole('link', { name: 'Assignments' }).click();
    const overdue = page.getByRole('row', { name: OVERDUE }).locator('[data-overdue]');
    await expect.poll(() => overdue.textContent()).toContain('Overdue');
    const [red, green, blue] = (await overdue.evaluate((cell) => getComputedStyle(cell).color)).match(/\d+/g)!.map(Number) as [number, number, number];
    expect(red).toBeGreaterThan(green + 60);
    expect(red).toBeGreaterThan(blue + 60);
    expect(await page.getByRole('row', { name: REVISED }).locator('[data-overdue]').count()).toBe(0);
  });

  it('the student creates their calendar-feed link, which answers an iCalendar, and turns it off', async () => {
    const page = studentPage;
    await mainNavigation(page).getByRole('link', { name: 'Today' }).click();
    await page.getByRole('button', { name: 'Create calendar link' }).click();
    const link = page.getByRole('textbox', { name: 'Your calendar link' });
    await expect.poll(() => link.inputValue()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/calendar\/feed\/.+\.ics$/);
    const url = await link.inputValue();
    expect(await page.getByRole('link', { name: 'Open in calendar app' }).getAttribute('href')).toBe(url.replace(/^http:/, 'webcal:'));
    await screenshots(page, 'teaching-calendar-feed');

    const feed = await fetch(url);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await feed.text();
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain('Mathematics');

    await page.getByRole('button', { name: 'Turn off calendar link' }).click();
    const dialog = page.getByRole('dialog', { name: 'Turn off your calendar link?' });
    await dialog.getByRole('button', { name: 'Turn off calendar link' }).click();
    await page.getByRole('status').filter({ hasText: 'turned off' }).waitFor();
    expect((await fetch(url)).status).toBe(404);
  });

  it("a holiday today is said on the student's Today, whose lessons it takes away, and in the week", async () => {
    const page = studentPage;
    await apiCall(server.url, 'POST', '/api/calendar/events', adminToken, {
      title: 'Founders day',
      type: 'holiday',
      allDay: true,
      date: todayInUtc().date,
      audience: { all: true },
    });
    await page.reload();
    await page.getByText('Holiday: Founders day').waitFor();
    expect(await page.getByRole('list', { name: 'Today’s lessons' }).count()).toBe(0);
    await screenshots(page, 'teaching-today-holiday');

    await page.getByRole('link', { name: 'The whole week' }).click();
    await page.waitForURL(`${server.url}/week`);
    const heading = page.getByRole('columnheader').filter({ hasText: 'Holiday: Founders day' });
    await heading.waitFor();
    expect(await heading.textContent()).toContain('Today');
    await screenshots(page, 'week-student');
  });
});
