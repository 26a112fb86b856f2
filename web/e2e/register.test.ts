import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, PHONE, screenshots } from './browser';
import { seedRegisterSchool } from './register-api';
import { apiCall, localDay, personalPage, signInThroughForm } from './school-api';
import { type RunningServer, startServer } from './server';
import { TEACHING_START } from './teaching-api';

const ADMIN = { institutionName: 'Brookside School', name: 'Ada Admin', username: 'ada.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Tess Teacher', username: 'tess.teacher', password: 'a-long-teacher-secret' };
const COVER = { name: 'Colin Cover', username: 'colin.cover', password: 'a-long-cover-secret' };
const STUDENTS = [
  { name: 'Amy Able', username: 'amy.able', password: 'a-long-student-secret' },
  { name: 'Ben Brown', username: 'ben.brown', password: 'a-long-student-secret' },
  { name: 'Cleo Cole', username: 'cleo.cole', password: 'a-long-student-secret' },
] as [typeof COVER, typeof COVER, typeof COVER];

let server: RunningServer;
let browser: Browser;
let adminPage: Page;
let teacherPage: Page;
let seeded: Awaited<ReturnType<typeof seedRegisterSchool>>;

/** A test here drives several pages one after another; a machine shared with other work needs more than the default minute. */
const LONG = 120_000;

const navLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name });
const missingRows = () => adminPage.getByTestId('missing-register');
const coverLessons = () => adminPage.getByTestId('cover-lesson');
const suggestionsFor = (lesson: string) => adminPage.getByRole('list', { name: `Suggested teachers for ${lesson}` });
const stillNeeded = () => adminPage.getByRole('status').filter({ hasText: 'still need cover' });

describe.skipIf(!hasChromium)('registers and cover in a real browser', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    seeded = await seedRegisterSchool(server.url, { admin: ADMIN, teacher: TEACHER, students: STUDENTS, coverTeacher: COVER });
    adminPage = await personalPage(browser);
    teacherPage = await (await browser.newContext({ viewport: PHONE, hasTouch: true })).newPage();
    teacherPage.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lists today's lessons whose register nobody has taken, by period", async () => {
    await signInThroughForm(adminPage, server.url, ADMIN, seeded.code, '/admin');
    await navLink(adminPage, 'Missing registers').click();
    await adminPage.waitForURL(`${server.url}/admin/attendance/missing`);
    await expect.poll(() => missingRows().count()).toBe(3);
    expect(await missingRows().nth(0).textContent()).toContain('Maths · 7A');
    expect(await missingRows().nth(0).textContent()).toContain(`Teacher: ${TEACHER.name}`);
    expect(await missingRows().nth(1).textContent()).toContain('Physics · 7A');
    expect(await missingRows().nth(2).textContent()).toContain(`Teacher: ${COVER.name}`);
    expect(await adminPage.getByRole('button', { name: 'Next day' }).isDisabled()).toBe(true);
    await screenshots(adminPage, 'register-missing');
  }, LONG);

  it('a teacher on a phone opens the register from today, marks one absent and one late, saves, and it is kept', async () => {
    await signInThroughForm(teacherPage, server.url, TEACHER, seeded.code, TEACHING_START);
    await teacherPage.getByRole('button', { name: 'Toggle navigation' }).click();
    await navLink(teacherPage, 'Registers').click();
    await teacherPage.waitForURL(`${server.url}/register`);
    const today = teacherPage.getByRole('list', { name: "Today's lessons" }).getByRole('link');
    await expect.poll(() => today.count()).toBe(2);
    await expect.poll(() => today.nth(0).textContent()).toContain('Not taken yet');
    await screenshots(teacherPage, 'register-today');

    await today.nth(0).click();
    await teacherPage.waitForURL(new RegExp(`/register/lessons/${seeded.mathsLesson.id}\\?date=`));
    const row = (name: string) => teacherPage.getByRole('button', { name: new RegExp(`^${name}\\b`) });
    await expect.poll(() => row('Amy Able').textContent()).toBe('Amy Able, Present');
    expect(await teacherPage.getByTestId('register-taken').textContent()).toContain('Not taken yet');

    await row('Ben Brown').tap();
    await row('Cleo Cole').tap();
    await row('Cleo Cole').tap();
    expect(await row('Ben Brown').textContent()).toContain('Absent');
    expect(await row('Cleo Cole').textContent()).toContain('Late');
    await teacherPage.getByRole('textbox', { name: 'Minutes late for Cleo Cole' }).fill('10');
    await teacherPage.getByRole('button', { name: 'Add a note for Ben Brown' }).tap();
    await teacherPage.getByRole('textbox', { name: 'Note for Ben Brown' }).fill('Phoned in sick');
    expect(await teacherPage.getByTestId('register-counts').textContent()).toBe('1 Present · 1 Absent · 1 Late · 0 Excused');
    await teacherPage.getByRole('button', { name: 'Save register' }).tap();
    await expect.poll(() => teacherPage.getByTestId('register-taken').textContent()).toContain(`Taken by ${TEACHER.name}`);
    await expect.poll(() => teacherPage.getByText('The register is saved.').isVisible()).toBe(true);
    // One column at phone width: nothing wider than the screen.
    expect(await teacherPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshots(teacherPage, 'register-lesson');

    await teacherPage.reload();
    await expect.poll(() => row('Ben Brown').textContent()).toContain('Absent');
    expect(await row('Cleo Cole').textContent()).toContain('Late');
    expect(await row('Amy Able').textContent()).toContain('Present');
    expect(await teacherPage.getByRole('textbox', { name: 'Minutes late for Cleo Cole' }).inputValue()).toBe('10');
    expect(await teacherPage.getByRole('textbox', { name: 'Note for Ben Brown' }).inputValue()).toBe('Phoned in sick');
    expect(await teacherPage.getByTestId('register-taken').textContent()).toContain(`Taken by ${TEACHER.name}`);

    const register = await apiCall(server.url, 'GET', `/api/schedules/${seeded.mathsLesson.id}/attendance`, seeded.admin);
    const marks = Object.fromEntries(
      (register.students as { student: { name: string }; status: string; minutesLate: number | null; note: string | null }[]).map((entry) => [
        entry.student.name,
        [entry.status, entry.minutesLate, entry.note],
      ]),
    );
    expect(marks).toEqual({ 'Amy Able': ['present', null, null], 'Ben Brown': ['absent', null, 'Phoned in sick'], 'Cleo Cole': ['late', 10, null] });

    // Leaving with a tap not saved asks first; undoing the tap lets the teacher go.
    await row('Amy Able').tap();
    await teacherPage.getByRole('button', { name: 'Toggle navigation' }).click();
    await navLink(teacherPage, 'Registers').click();
    const leave = teacherPage.getByRole('dialog', { name: 'Leave without saving?' });
    await leave.getByRole('button', { name: 'Stay' }).click();
    expect(teacherPage.url()).toContain(`/register/lessons/${seeded.mathsLesson.id}`);
    await row('Amy Able').tap();
    await row('Amy Able').tap();
    expect(await row('Amy Able').textContent()).toBe('Amy Able, Present');

    // A day the lesson does not take place on is said in words.
    const yesterday = localDay(-1);
    await teacherPage.getByRole('textbox', { name: 'Date' }).fill(yesterday);
    await expect.poll(() => teacherPage.getByRole('alert').textContent()).toContain(`There is no register to take on ${yesterday}`);

    await teacherPage.goto(`${server.url}/register`);
    await expect.poll(() => today.nth(0).textContent()).toContain('Taken');
    await expect.poll(() => today.nth(1).textContent()).toContain('Not taken yet');
  }, LONG);

  it('the missing list loses a register once it is saved, here by the admin from the list', async () => {
    await adminPage.reload();
    await expect.poll(() => missingRows().count()).toBe(2);
    expect(await missingRows().nth(0).textContent()).toContain('Physics · 7A');
    expect(await missingRows().nth(1).textContent()).toContain('English · 7A');

    // Amy's guardian has told the school she is at the dentist today: her mark starts as excused.
    await apiCall(server.url, 'POST', `/api/students/${seeded.student.id}/absences`, seeded.admin, { from: localDay(0), to: localDay(0), reason: 'Dentist' });
    await adminPage.getByRole('link', { name: 'Open the register of 7A Physics' }).click();
    await adminPage.waitForURL(new RegExp(`/register/lessons/${seeded.physicsLesson.id}`));
    const amy = adminPage.getByRole('listitem').filter({ hasText: 'Amy Able' });
    await expect.poll(() => amy.getByRole('button', { name: /^Amy Able\b/ }).textContent()).toBe('Amy Able, Excused');
    expect(await amy.textContent()).toContain('Known absence: Dentist');
    await adminPage.getByRole('button', { name: 'Save register' }).click();
    await expect.poll(() => adminPage.getByTestId('register-taken').textContent()).toContain(`Taken by ${ADMIN.name}`);
    await adminPage.goBack();
    await expect.poll(() => missingRows().count()).toBe(1);
    expect(await missingRows().nth(0).textContent()).toContain('English · 7A');
  }, LONG);

  it('the admin records a teacher absence and sees the lessons needing cover with suggested teachers', async () => {
    await navLink(adminPage, 'Cover').click();
    await adminPage.waitForURL(`${server.url}/admin/cover`);
    await expect.poll(() => adminPage.getByText('No teacher is recorded as absent on this day.').isVisible()).toBe(true);

    await adminPage.getByRole('button', { name: 'Record an absence' }).click();
    const dialog = adminPage.getByRole('dialog', { name: 'Record a teacher absence' });
    await dialog.getByLabel(/^Teacher/).click();
    await adminPage.getByRole('option', { name: TEACHER.name }).click();
    await dialog.getByRole('textbox', { name: 'Reason (optional)' }).fill('Training day');
    await dialog.getByRole('button', { name: 'Record an absence' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);

    const absent = adminPage.getByRole('list', { name: 'Absent teachers' });
    await expect.poll(() => absent.textContent()).toContain(TEACHER.name);
    expect(await absent.textContent()).toContain('Training day');
    await expect.poll(() => coverLessons().count()).toBe(2);
    await expect.poll(() => stillNeeded().textContent()).toBe('2 of 2 lessons still need cover.');
    await expect.poll(() => suggestionsFor('Physics 7A').textContent()).toContain(COVER.name);
    expect(await suggestionsFor('Physics 7A').textContent()).toContain('teaches 7A');
    await expect.poll(() => suggestionsFor('Maths 7A').textContent()).toContain(COVER.name);
    await screenshots(adminPage, 'register-cover');
  }, LONG);

  it('a suggestion gone stale meanwhile is refused in words; another is assigned in one click and the cover teacher sees it', async () => {
    // Meanwhile Colin is given a lesson of his own in period 1: the suggestion on screen is out of
    // date, and the server's 409 is said in words and the lesson still needs cover.
    await apiCall(server.url, 'POST', '/api/schedules', seeded.admin, {
      classId: seeded.otherClass.id,
      subjectId: seeded.mathsLesson.subject.id,
      teacherId: seeded.coverTeacher.id,
      day: seeded.mathsLesson.day,
      period: 1,
    });
    await adminPage.getByRole('button', { name: `Assign ${COVER.name} to cover Maths 7A` }).click();
    const maths = coverLessons().filter({ hasText: 'Maths' });
    await expect.poll(() => maths.getByRole('alert').textContent()).toBe(`${COVER.name} is not free then: they teach Maths to 7B in period 1.`);
    expect(await maths.getAttribute('data-status')).toBe('needed');
    // The board is asked again: nobody else is free in period 1.
    await expect.poll(() => maths.textContent()).toContain('No teacher is free in this period.');

    await adminPage.getByRole('button', { name: `Assign ${COVER.name} to cover Physics 7A` }).click();
    const physics = coverLessons().filter({ hasText: 'Physics' });
    await expect.poll(() => physics.textContent()).toContain(`Covered by ${COVER.name}`);
    await expect.poll(() => physics.getAttribute('data-status')).toBe('covered');
    await expect.poll(() => stillNeeded().textContent()).toBe('1 of 2 lessons still need cover.');
    const [absence] = (await apiCall(server.url, 'GET', '/api/teacher-absences', seeded.admin)).items;
    const recorded = await apiCall(server.url, 'GET', `/api/teacher-absences/${absence.id}`, seeded.admin);
    const covered = (recorded.lessons as { lesson: { id: string }; cover: { teacher: { name: string } } | null }[]).find((entry) => entry.lesson.id === seeded.physicsLesson.id);
    expect(covered?.cover?.teacher.name).toBe(COVER.name);

    // The cover teacher finds the lesson among their registers of today and may take it.
    const coverPage = await (await browser.newContext({ viewport: PHONE })).newPage();
    coverPage.setDefaultTimeout(15_000);
    await signInThroughForm(coverPage, server.url, COVER, seeded.code, TEACHING_START);
    await coverPage.goto(`${server.url}/register`);
    const coverLesson = coverPage.getByRole('link').filter({ hasText: 'Physics · 7A' });
    await expect.poll(() => coverLesson.textContent()).toContain(`Cover for ${TEACHER.name}`);
    await coverLesson.click();
    await expect.poll(() => coverPage.getByRole('button', { name: /^Ben Brown\b/ }).textContent()).toBe('Ben Brown, Present');
    await coverPage.context().close();
  }, LONG);

  it('the admin undoes the cover and deletes the absence behind a confirmation', async () => {
    await adminPage.getByRole('button', { name: 'Undo the cover of Physics 7A' }).click();
    await expect.poll(() => coverLessons().filter({ hasText: 'Physics' }).getAttribute('data-status')).toBe('needed');
    await expect.poll(() => suggestionsFor('Physics 7A').textContent()).toContain(COVER.name);

    await adminPage.getByRole('button', { name: `Delete the absence of ${TEACHER.name}` }).click();
    const confirm = adminPage.getByRole('dialog', { name: 'Delete this absence?' });
    await confirm.getByRole('button', { name: 'Delete absence' }).click();
    await expect.poll(() => adminPage.getByText('No teacher is recorded as absent on this day.').isVisible()).toBe(true);
    expect(await coverLessons().count()).toBe(0);
  }, LONG);
});
