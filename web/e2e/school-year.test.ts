import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hasChromium, launchBrowser, screenshots } from './browser';
import { apiCall, signInThroughForm } from './school-api';
import { lastDateOn, mondayOfNextWeek, plusDays } from './school-year-api';
import { type RunningServer, startServer } from './server';
import { personalPage, POLL_PATIENCE, TEACHING_START, todayInUtc } from './teaching-api';

/**
 * The whole school year in one story, through the pages people use: an institution signs
 * up, brings its people in by CSV, builds its subjects, rooms, class and curriculum, generates its
 * timetable; a teacher sets work with a PDF, a student hands in a file and sees the grade, the two
 * chat live, a holiday shows in the student's week, and a guardian sees the grade and the alert
 * the register sends when the child is marked absent. Each role has a browser context of its own.
 */

const ADMIN = { institutionName: 'Meadowbrook School', name: 'Petra Principal', username: 'petra.principal', password: 'a-long-admin-secret' };
const MATHS_TEACHER = { name: 'Tom Maths', username: 'tom.maths', password: 'a-long-teacher-secret' };
const ENGLISH_TEACHER = { name: 'Ella English', username: 'ella.english', password: 'a-long-teacher-secret' };
const STUDENT = { name: 'Sam Student', username: 'sam.student', password: 'a-long-student-secret' };
const CLASSMATES = [
  { name: 'Alex Able', username: 'alex.able', password: 'a-long-student-secret' },
  { name: 'Bea Brown', username: 'bea.brown', password: 'a-long-student-secret' },
];
const GUARDIAN = { name: 'Gail Guardian', username: 'gail.guardian', password: 'a-long-guardian-secret' };

/** The school's people as the admin's spreadsheet has them: the guardian row links to the child in the same file. */
const PEOPLE_CSV = [
  'username,password,role,name,email,guardianOf,relationship',
  `${MATHS_TEACHER.username},${MATHS_TEACHER.password},teacher,${MATHS_TEACHER.name},tom@meadowbrook.test,,`,
  `${ENGLISH_TEACHER.username},${ENGLISH_TEACHER.password},teacher,${ENGLISH_TEACHER.name},ella@meadowbrook.test,,`,
  ...[STUDENT, ...CLASSMATES].map((student) => `${student.username},${student.password},student,${student.name},,,`),
  `${GUARDIAN.username},${GUARDIAN.password},guardian,${GUARDIAN.name},gail@home.test,${STUDENT.username},mother`,
].join('\n');

const TITLE = 'Fractions homework';
const HOLIDAY = 'Founders day';
/** The smallest file the server's type sniffing takes for a PDF. */
const pdf = (title: string) => Buffer.from(`%PDF-1.4\n% ${title}\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`);

let server: RunningServer;
let browser: Browser;
let admin: Page;
let teacher: Page;
let student: Page;
let guardian: Page;
let code = '';

const nav = (page: Page) => page.getByRole('navigation', { name: 'Main navigation' });
const signIn = (page: Page, account: { username: string; password: string }, startPath = TEACHING_START) => signInThroughForm(page, server.url, account, code, startPath);

/** The token the admin's page keeps in localStorage: the test reads through the API what the story made, never makes it. */
async function adminToken(): Promise<string> {
  return admin.evaluate(() => (JSON.parse(localStorage.getItem('crm.session') ?? 'null') as { token: string }).token);
}

/** The school's lessons as the API has them, read with the admin's token. */
async function lessons(): Promise<{ id: string; day: string; period: number; subject: { name: string } }[]> {
  return (await apiCall(server.url, 'GET', '/api/schedules?limit=1000', await adminToken())).items;
}

/** Picks `option` in a searchable select after typing `search` into it. */
async function choose(page: Page, combobox: ReturnType<Page['getByRole']>, search: string, option: string) {
  await combobox.click();
  await combobox.fill(search);
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe.skipIf(!hasChromium)('a school year in a real browser', () => {
  beforeAll(async () => {
    vi.setConfig({ expect: { poll: { ...POLL_PATIENCE, timeout: 15_000 } } });
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    [admin, teacher, student, guardian] = await Promise.all([personalPage(browser), personalPage(browser), personalPage(browser), personalPage(browser)]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs up the institution and its admin, who signs in with the code it shows', async () => {
    await admin.goto(`${server.url}/sign-up`);
    await admin.getByRole('textbox', { name: 'Institution name', exact: true }).fill(ADMIN.institutionName);
    await admin.getByRole('textbox', { name: 'Your name', exact: true }).fill(ADMIN.name);
    await admin.getByRole('textbox', { name: 'Admin username', exact: true }).fill(ADMIN.username);
    await admin.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Register' }).click();
    await expect.poll(() => admin.getByRole('heading', { name: `${ADMIN.institutionName} is registered` }).isVisible()).toBe(true);
    code = (await admin.getByTestId('institution-code').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4,20}$/);
    await screenshots(admin, 'story-sign-up');

    await admin.getByRole('link', { name: `Sign in as ${ADMIN.username}` }).click();
    await admin.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    await admin.waitForURL(`${server.url}/admin`);
    await expect.poll(() => admin.getByTestId('count-teachers').textContent()).toBe('0');
  });

  it('imports the teachers, students and a guardian from a CSV file after previewing it', async () => {
    await nav(admin).getByRole('link', { name: 'Users' }).click();
    await admin.waitForURL(`${server.url}/admin/users`);
    await admin.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Import users from a CSV file' });
    await dialog.locator('input[type=file]').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(PEOPLE_CSV) });
    // The dry run's preview comes first; nothing is written until the import.
    await expect.poll(() => dialog.getByText('Every row is right. Users to create: 6. Guardian links to make: 1.').isVisible()).toBe(true);
    expect(await dialog.getByRole('table').textContent()).toContain(`Guardian of ${STUDENT.username}`);
    expect((await apiCall(server.url, 'GET', '/api/users', await adminToken())).total).toBe(0);
    await screenshots(admin, 'story-csv-preview');
    await dialog.getByRole('button', { name: 'Import 6 users' }).click();

    await expect.poll(() => admin.getByText('Imported. Users created: 6. Guardian links made: 1.').isVisible()).toBe(true);
    await expect.poll(() => admin.getByText('6 users', { exact: true }).isVisible()).toBe(true);
    for (const person of [MATHS_TEACHER, ENGLISH_TEACHER, STUDENT, GUARDIAN]) {
      expect(await admin.getByRole('cell', { name: person.name, exact: true }).isVisible()).toBe(true);
    }
  });

  it('creates the subjects and a room', async () => {
    await nav(admin).getByRole('link', { name: 'Subjects' }).click();
    await admin.waitForURL(`${server.url}/admin/subjects`);
    for (const [name, subjectCode] of [['Maths', 'MA'], ['English', 'EN']]) {
      await admin.getByRole('button', { name: 'Add subject' }).click();
      const dialog = admin.getByRole('dialog');
      await dialog.getByLabel('Subject').fill(name!);
      await dialog.getByLabel('Code').fill(subjectCode!);
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => admin.getByRole('row', { name: new RegExp(name!) }).textContent()).toContain(subjectCode);
    }

    await nav(admin).getByRole('link', { name: 'Rooms' }).click();
    await admin.waitForURL(`${server.url}/admin/rooms`);
    await admin.getByRole('button', { name: 'Add room' }).click();
    await admin.getByRole('dialog').getByLabel('Room').fill('Room 101');
    await admin.getByRole('dialog').getByLabel('Seats').fill('30');
    await admin.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => admin.getByRole('row', { name: /Room 101/ }).textContent()).toContain('30');
  });

  it('creates class 7A, enrolls the three students and gives it a curriculum', async () => {
    await nav(admin).getByRole('link', { name: 'Classes' }).click();
    await admin.waitForURL(`${server.url}/admin/classes`);
    await admin.getByRole('button', { name: 'Add class' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Class').fill('7A');
    await dialog.getByLabel('Grade').click();
    await admin.getByRole('option', { name: '7', exact: true }).click();
    await dialog.getByLabel('Section').fill('A');
    await choose(admin, dialog.getByRole('combobox', { name: 'Homeroom teacher' }), 'Tom', MATHS_TEACHER.name);
    await dialog.getByRole('button', { name: 'Add class' }).click();
    await admin.waitForURL(/\/admin\/classes\/[0-9a-f-]{36}$/);
    await expect.poll(() => admin.getByRole('heading', { level: 1 }).textContent()).toBe('Class 7A');

    const picker = admin.getByRole('combobox', { name: 'Add students' });
    for (const person of [STUDENT, ...CLASSMATES]) {
      await picker.fill(person.name.split(' ')[0]!);
      await admin.getByRole('option', { name: `${person.name} (${person.username})` }).click();
    }
    await admin.getByRole('button', { name: 'Enroll' }).click();
    await expect.poll(() => admin.getByTestId('class-capacity').textContent()).toBe('3 / 40 students');

    await admin.getByRole('button', { name: 'Edit curriculum' }).click();
    const rows = [
      { subject: 'Maths', teacher: MATHS_TEACHER, room: 'Room 101', periods: '3' },
      { subject: 'English', teacher: ENGLISH_TEACHER, room: null, periods: '2' },
    ];
    for (const [index, row] of rows.entries()) {
      const number = index + 1;
      await admin.getByRole('button', { name: 'Add a subject' }).click();
      await choose(admin, admin.getByRole('combobox', { name: `Subject, row ${number}` }), row.subject, row.subject);
      await choose(admin, admin.getByRole('combobox', { name: `Teacher, row ${number}` }), row.teacher.name.split(' ')[0]!, row.teacher.name);
      if (row.room) await choose(admin, admin.getByRole('combobox', { name: `Room, row ${number}` }), row.room, row.room);
      await admin.getByRole('textbox', { name: `Periods a week, row ${number}` }).fill(row.periods);
    }
    await admin.getByRole('button', { name: 'Save curriculum' }).click();
    const curriculum = admin.getByRole('table', { name: 'Curriculum' });
    // Nothing scheduled yet: every period is missing.
    await expect.poll(() => curriculum.getByRole('row', { name: /Maths/ }).textContent()).toMatch(/303$/);
    expect(await curriculum.getByRole('row', { name: /English/ }).textContent()).toMatch(/202$/);
    await screenshots(admin, 'story-class');
  });

  it('generates the timetable with live progress, previews it and applies it', async () => {
    await nav(admin).getByRole('link', { name: 'Timetable' }).click();
    await admin.waitForURL(/\/admin\/timetable\?kind=class&id=/);
    await admin.getByRole('link', { name: 'Generate a timetable' }).click();
    await admin.waitForURL(`${server.url}/admin/timetable/generate`);
    await admin.getByRole('button', { name: 'Generate', exact: true }).click();
    await admin.waitForURL(/\/admin\/timetable\/generate\?job=[0-9a-f-]{36}$/);

    await expect.poll(() => admin.getByTestId('job-progress').getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    expect(await admin.getByTestId('job-placed').textContent()).toBe('5 of 5 lessons placed');
    expect(await admin.getByRole('progressbar', { name: 'Lessons placed' }).getAttribute('aria-valuenow')).toBe('100');
    await expect.poll(() => admin.getByRole('table', { name: 'Proposed week' }).getByText('Maths', { exact: true }).count()).toBe(3);
    expect(await admin.getByRole('table', { name: 'Current week' }).getByText('Maths', { exact: true }).count()).toBe(0);
    await screenshots(admin, 'story-timetable-preview');

    await admin.getByRole('button', { name: 'Apply this timetable' }).click();
    await admin.waitForURL(/\/admin\/timetable\?kind=class&id=/);
    await expect.poll(() => admin.locator('[data-lesson]').count()).toBe(5);
    expect(await lessons()).toHaveLength(5);
  });

  it('a teacher sets an assignment for 7A with a PDF', async () => {
    await signIn(teacher, MATHS_TEACHER);
    await nav(teacher).getByRole('link', { name: 'Assignments' }).click();
    await teacher.getByRole('link', { name: 'New assignment' }).click();
    await teacher.waitForURL(`${server.url}/assignments/new`);
    await teacher.getByRole('textbox', { name: 'Title' }).fill(TITLE);
    await teacher.getByRole('textbox', { name: 'Description' }).fill('Exercises 1 to 10 of the sheet attached.');
    await teacher.getByRole('combobox', { name: 'Classes' }).click();
    await teacher.getByRole('option', { name: '7A' }).click();
    await teacher.keyboard.press('Escape');
    await teacher.getByRole('textbox', { name: 'Maximum points' }).fill('20');
    await teacher.locator('input[type=file]').setInputFiles({ name: 'fractions.pdf', mimeType: 'application/pdf', buffer: pdf('fractions') });
    await expect.poll(() => teacher.getByRole('list', { name: 'Attached files' }).textContent()).toContain('fractions.pdf');
    await teacher.getByRole('button', { name: 'Create assignment' }).click();

    await teacher.waitForURL(/\/assignments\/[0-9a-f-]{36}$/);
    await expect.poll(() => teacher.getByRole('heading', { name: TITLE, level: 1 }).isVisible()).toBe(true);
    expect(await teacher.getByRole('list', { name: 'Files' }).textContent()).toContain('fractions.pdf');
    await expect.poll(() => teacher.getByRole('row', { name: new RegExp(STUDENT.name) }).textContent()).toContain('To do');
    await screenshots(teacher, 'story-assignment');
  });

  it('a student downloads the sheet and hands in a file', async () => {
    await signIn(student, STUDENT);
    await nav(student).getByRole('link', { name: 'Assignments' }).click();
    await expect.poll(() => student.getByRole('row', { name: new RegExp(TITLE) }).textContent()).toContain('To do');
    await student.getByRole('link', { name: TITLE }).click();
    const download = student.waitForEvent('download');
    await student.getByRole('button', { name: 'fractions.pdf' }).click();
    expect((await download).suggestedFilename()).toBe('fractions.pdf');

    await student.locator('input[type=file]').setInputFiles({ name: 'my-answers.pdf', mimeType: 'application/pdf', buffer: pdf('answers') });
    await expect.poll(() => student.getByRole('list', { name: 'Attached files' }).textContent()).toContain('my-answers.pdf');
    await student.getByRole('button', { name: 'Hand in', exact: true }).click();
    await expect.poll(() => student.getByTestId('assignment-status').textContent()).toBe('Handed in');
    // Beside the sheet, the version handed in lists its file once it has loaded.
    await expect.poll(async () => (await student.getByRole('list', { name: 'Files' }).allTextContents()).join(' ')).toContain('my-answers.pdf');
    await screenshots(student, 'story-hand-in');
  });

  it('the teacher grades the work and the student sees the grade and feedback', async () => {
    await teacher.reload();
    await expect.poll(() => teacher.getByRole('row', { name: new RegExp(STUDENT.name) }).textContent()).toContain('Handed in');
    await teacher.getByRole('button', { name: `Grade the work of ${STUDENT.name}` }).click();
    const dialog = teacher.getByRole('dialog', { name: `Work of ${STUDENT.name}` });
    await expect.poll(() => dialog.getByRole('list', { name: 'Files' }).textContent()).toContain('my-answers.pdf');
    await dialog.getByRole('textbox', { name: 'Points (0 to 20)' }).fill('17');
    await dialog.getByRole('textbox', { name: 'Feedback' }).fill('Good work; check exercise 7.');
    await dialog.getByRole('button', { name: 'Save grade' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => teacher.getByRole('row', { name: new RegExp(STUDENT.name) }).textContent()).toContain('Graded');

    await nav(student).getByRole('link', { name: 'Assignments' }).click();
    const row = student.getByRole('row', { name: new RegExp(TITLE) });
    await expect.poll(() => row.textContent()).toContain('17 / 20 points');
    expect(await row.textContent()).toContain('Good work; check exercise 7.');
    await screenshots(student, 'story-grade');
  });

  it('teacher and student chat: each message appears on the other side without a reload', async () => {
    await nav(student).getByRole('link', { name: /^Messages/ }).click();
    await choose(student, student.getByRole('combobox', { name: 'Write to someone new' }), 'Tom', `${MATHS_TEACHER.name} (Teacher)`);
    await expect.poll(() => student.getByRole('heading', { level: 1 }).textContent()).toBe(MATHS_TEACHER.name);

    await nav(teacher).getByRole('link', { name: /^Messages/ }).click();
    await choose(teacher, teacher.getByRole('combobox', { name: 'Write to someone new' }), 'Sam', `${STUDENT.name} (Student)`);
    await expect.poll(() => teacher.getByRole('heading', { level: 1 }).textContent()).toBe(STUDENT.name);
    await teacher.getByRole('textbox', { name: 'Your message' }).fill('Well done on the fractions!');
    await teacher.getByRole('button', { name: 'Send', exact: true }).click();

    await expect.poll(() => student.getByTestId('messages').getByText('Well done on the fractions!').isVisible()).toBe(true);
    await student.getByRole('textbox', { name: 'Your message' }).fill('Thank you! Exercise 7 is fixed now.');
    await student.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => teacher.getByTestId('messages').getByText('Thank you! Exercise 7 is fixed now.').isVisible()).toBe(true);
    await screenshots(student, 'story-chat');
  });

  it("an admin's holiday in the calendar appears in the student's week", async () => {
    const holiday = plusDays(mondayOfNextWeek(), 2);
    await nav(admin).getByRole('link', { name: 'Calendar' }).click();
    await admin.waitForURL(`${server.url}/calendar`);
    await admin.goto(`${server.url}/calendar?date=${holiday}`);
    await admin.getByRole('button', { name: 'New event' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel(/^Title( \*)?$/).fill(HOLIDAY);
    await dialog.getByLabel(/^Kind( \*)?$/).click();
    await admin.getByRole('option', { name: 'Holiday', exact: true }).click();
    await dialog.getByLabel(/^All day( \*)?$/).check();
    await dialog.getByLabel(/^Date( \*)?$/).fill(holiday);
    await dialog.getByLabel(/^Last day( \*)?$/).fill(holiday);
    await dialog.getByRole('button', { name: 'Create event' }).click();
    await expect.poll(() => admin.locator(`td[data-day="${holiday}"]`).getByRole('button', { name: `Holiday: ${HOLIDAY}` }).isVisible()).toBe(true);

    await nav(student).getByRole('link', { name: 'This week' }).click();
    await student.waitForURL(`${server.url}/week`);
    await student.getByRole('button', { name: 'Next week' }).click();
    await expect.poll(() => student.getByText(`Holiday: ${HOLIDAY}`).first().isVisible()).toBe(true);
    await screenshots(student, 'story-student-week');
  });

  it('the teacher takes the register with the student absent; the guardian sees the grade and the absence alert', async () => {
    // The last day a Maths lesson of 7A took place, today at the latest (a register cannot be taken ahead).
    const maths = (await lessons()).find((lesson) => lesson.subject.name === 'Maths')!;
    const date = lastDateOn(maths.day, todayInUtc().date);
    await teacher.goto(`${server.url}/register/lessons/${maths.id}?date=${date}`);
    const row = (name: string) => teacher.getByRole('button', { name: new RegExp(`^${name}\\b`) });
    await expect.poll(() => row(STUDENT.name).textContent()).toBe(`${STUDENT.name}, Present`);
    await row(STUDENT.name).click();
    expect(await row(STUDENT.name).textContent()).toContain('Absent');
    await teacher.getByRole('button', { name: 'Save register' }).click();
    await expect.poll(() => teacher.getByTestId('register-taken').textContent()).toContain(`Taken by ${MATHS_TEACHER.name}`);
    await screenshots(teacher, 'story-register');

    await signIn(guardian, GUARDIAN, '/children');
    const child = guardian.getByRole('region', { name: STUDENT.name });
    await expect.poll(() => child.textContent()).toContain('Class 7A');
    await child.getByRole('link', { name: 'Assignments' }).click();
    await expect.poll(() => guardian.getByRole('row', { name: new RegExp(TITLE) }).textContent()).toContain('17 / 20 points');
    await screenshots(guardian, 'story-guardian-grade');

    await nav(guardian).getByRole('link', { name: /^Messages/ }).click();
    await guardian.getByRole('link', { name: new RegExp(MATHS_TEACHER.name) }).click();
    const alert = guardian.getByTestId('messages').getByText(`${STUDENT.name} was marked absent from Maths (period ${maths.period}) on ${date}`, { exact: false });
    await expect.poll(() => alert.isVisible()).toBe(true);
    await screenshots(guardian, 'story-absence-alert');

    // The child's attendance holds the mark the register made.
    await nav(guardian).getByRole('link', { name: 'My children' }).click();
    await child.getByRole('link', { name: 'Attendance' }).click();
    const mark = guardian.getByRole('table', { name: 'Registers' }).getByRole('row', { name: new RegExp(date) });
    await expect.poll(() => mark.textContent()).toBe(`${date}${maths.period}MathsAbsent`);
    expect(await guardian.getByTestId('attendance-rate').textContent()).toBe('0 %');
  });
});
