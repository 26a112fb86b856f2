import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, PHONE, screenshots } from './browser';
import { apiCall, seedClass, signInThroughForm } from './school-api';
import { type RunningServer, startServer } from './server';

const ADMIN = { institutionName: 'Lakeside School', name: 'Alma Admin', username: 'alma.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Theo Teacher', username: 'theo.teacher', password: 'a-long-teacher-secret' };
const STUDENT = { name: 'Stella Student', username: 'stella.student', password: 'a-long-student-secret' };
const GUARDIAN = { name: 'Greta Guardian', username: 'greta.guardian', password: 'a-long-guardian-secret' };

let server: RunningServer;
let browser: Browser;
let code = '';
let adminToken = '';

/** A day `days` after `date` (YYYY-MM-DD). */
function plusDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** The first Monday of next month: the weekly event's Mondays and Wednesdays of two weeks stay in that month. */
function firstMondayOfNextMonth(): string {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  first.setUTCDate(1 + ((8 - first.getUTCDay()) % 7));
  return first.toISOString().slice(0, 10);
}

const MONDAY = firstMondayOfNextMonth();
const WEDNESDAY = plusDays(MONDAY, 2);
const FRIDAY = plusDays(MONDAY, 4);
const CLUB_DAYS = [MONDAY, WEDNESDAY, plusDays(MONDAY, 7), plusDays(MONDAY, 9)];

/** Each role's browser shows times in a zone of its own, not the school's (Europe/Berlin): what it shows must be the school's time. */
async function signedIn(account: { username: string; password: string }, startPath: string): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP, timezoneId: 'America/New_York' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await signInThroughForm(page, server.url, account, code, startPath);
  return page;
}

/** The month grid's cell of a day (desktop). */
const cell = (page: Page, day: string): Locator => page.locator(`td[data-day="${day}"]`);

async function openMonth(page: Page, date = MONDAY): Promise<void> {
  await page.goto(`${server.url}/calendar?date=${date}`);
  await page.getByRole('table').waitFor();
}

/** A form field by its label; a required one's label ends in " *". */
const field = (scope: Locator, label: string): Locator => scope.getByLabel(new RegExp(`^${label}( \\*)?$`));

/** Picks an option of a Mantine Select or MultiSelect labelled `label` in the dialog. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await field(page.getByRole('dialog'), label).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe.skipIf(!hasChromium)('the calendar in a real browser', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const seeded = await seedClass(server.url, { admin: ADMIN, teacher: TEACHER, student: STUDENT });
    code = seeded.code;
    adminToken = seeded.admin;
    await apiCall(server.url, 'PUT', '/api/settings/institution', adminToken, { timeZone: 'Europe/Berlin' });
    const guardian = await apiCall(server.url, 'POST', '/api/users', adminToken, { ...GUARDIAN, role: 'guardian' });
    await apiCall(server.url, 'POST', `/api/students/${seeded.student.id}/guardians`, adminToken, { guardianId: guardian.id, relationship: 'father', primary: true });
    // A meeting for teachers only: the student must never see it.
    await apiCall(server.url, 'POST', '/api/calendar/events', adminToken, {
      title: 'Staff meeting',
      type: 'meeting',
      allDay: true,
      date: plusDays(MONDAY, 1),
      audience: { teachersOnly: true },
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('an admin creates a holiday and a weekly event on Mondays and Wednesdays; the month shows each occurrence, the week the local time', async () => {
    const page = await signedIn(ADMIN, '/admin');
    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Calendar' }).click();
    await page.waitForURL(`${server.url}/calendar`);
    await openMonth(page);
    expect(await page.getByText('Times in Europe/Berlin').first().isVisible()).toBe(true);

    await page.getByRole('button', { name: 'New event' }).click();
    const dialog = page.getByRole('dialog');
    await field(dialog, 'Title').fill('Founders day');
    await choose(page, 'Kind', 'Holiday');
    await field(dialog, 'All day').check();
    await field(dialog, 'Date').fill(FRIDAY);
    await field(dialog, 'Last day').fill(FRIDAY);
    await dialog.getByRole('button', { name: 'Create event' }).click();
    await expect.poll(() => cell(page, FRIDAY).getByRole('button', { name: 'Holiday: Founders day' }).isVisible()).toBe(true);

    await page.getByRole('button', { name: 'New event' }).click();
    await field(dialog, 'Title').fill('Chess club');
    await choose(page, 'Who sees it', 'Some classes');
    await choose(page, 'Classes', '7A');
    await page.keyboard.press('Escape');
    await field(dialog, 'Date').fill(MONDAY);
    await field(dialog, 'Starts').fill('15:00');
    await field(dialog, 'Ends').fill('16:30');
    await choose(page, 'Repeat', 'Every week');
    expect(await dialog.getByRole('checkbox', { name: 'Monday' }).isChecked()).toBe(true);
    await dialog.getByRole('checkbox', { name: 'Wednesday' }).check();
    await field(dialog, 'Number of times').fill('4');
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Every week on Monday, Wednesday, 4 times');
    await screenshots(page, 'calendar-event-form');
    await dialog.getByRole('button', { name: 'Create event' }).click();

    for (const day of CLUB_DAYS) {
      await expect.poll(() => cell(page, day).getByRole('button', { name: '15:00 Chess club' }).isVisible(), { message: day }).toBe(true);
    }
    expect(await cell(page, plusDays(MONDAY, 14)).getByRole('button', { name: /Chess club/ }).count()).toBe(0);
    // The holiday's whole day is marked, not only its entry.
    expect(await cell(page, FRIDAY).evaluate((td) => getComputedStyle(td).backgroundColor)).not.toBe(await cell(page, MONDAY).evaluate((td) => getComputedStyle(td).backgroundColor));
    await screenshots(page, 'calendar-month');

    // Stored at 15:00 in Berlin, whatever the browser's own zone.
    const stored = await apiCall(server.url, 'GET', `/api/calendar?from=${MONDAY}&to=${MONDAY}`, adminToken);
    expect(stored.occurrences.find((occurrence: { title: string }) => occurrence.title === 'Chess club').startsAt).toMatch(/T15:00:00\+0[12]:00$/);

    await page.getByText('Week', { exact: true }).click();
    await expect.poll(() => page.url()).toContain('view=week');
    await expect.poll(() => cell(page, MONDAY).getByRole('button', { name: '15:00–16:30 Chess club' }).isVisible()).toBe(true);
    expect(await cell(page, WEDNESDAY).getByRole('button', { name: '15:00–16:30 Chess club' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Next week' }).click();
    await expect.poll(() => cell(page, plusDays(MONDAY, 7)).getByRole('button', { name: '15:00–16:30 Chess club' }).isVisible()).toBe(true);
    await screenshots(page, 'calendar-week');
  });

  it('a teacher adds an exam for their class, is not offered holidays, and is offered Edit on their own event only', async () => {
    const page = await signedIn(TEACHER, '/today');
    await openMonth(page);
    await page.getByRole('button', { name: 'New event' }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByText(/Holidays and events for the whole school or for teachers are set by an admin/).isVisible()).toBe(true);
    await field(dialog, 'Kind').click();
    await page.getByRole('option', { name: 'Exam', exact: true }).waitFor();
    expect(await page.getByRole('option', { name: 'Holiday', exact: true }).count()).toBe(0);
    await page.getByRole('option', { name: 'Exam', exact: true }).click();
    await field(dialog, 'Title').fill('Maths test');
    await choose(page, 'Classes', '7A');
    await page.keyboard.press('Escape');
    await field(dialog, 'Date').fill(WEDNESDAY);
    await field(dialog, 'Starts').fill('10:00');
    await field(dialog, 'Ends').fill('11:00');
    await dialog.getByRole('button', { name: 'Create event' }).click();
    await expect.poll(() => cell(page, WEDNESDAY).getByRole('button', { name: '10:00 Maths test' }).isVisible()).toBe(true);
    expect(await cell(page, plusDays(MONDAY, 1)).getByRole('button', { name: 'Staff meeting' }).isVisible()).toBe(true);

    // The admin's event for the teacher's class: theirs to see, not to change.
    await cell(page, MONDAY).getByRole('button', { name: /Chess club/ }).click();
    await dialog.getByTestId('event-when').waitFor();
    expect(await dialog.getByRole('button', { name: 'Edit' }).count()).toBe(0);
    expect(await dialog.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await screenshots(page, 'calendar-teacher');
    await page.keyboard.press('Escape');
    await cell(page, WEDNESDAY).getByRole('button', { name: '10:00 Maths test' }).click();
    await expect.poll(() => dialog.getByRole('button', { name: 'Edit' }).isVisible()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Delete' }).isVisible()).toBe(true);
  });

  it('a student sees the class events and the holiday but not the teachers-only meeting, and cannot add events', async () => {
    const page = await signedIn(STUDENT, '/today');
    await openMonth(page);
    await expect.poll(() => cell(page, WEDNESDAY).getByRole('button', { name: '10:00 Maths test' }).isVisible()).toBe(true);
    expect(await cell(page, WEDNESDAY).getByRole('button', { name: '15:00 Chess club' }).isVisible()).toBe(true);
    expect(await cell(page, FRIDAY).getByRole('button', { name: 'Holiday: Founders day' }).isVisible()).toBe(true);
    expect(await page.getByText('Staff meeting').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'New event' }).count()).toBe(0);
    await cell(page, FRIDAY).getByRole('button', { name: 'Holiday: Founders day' }).click();
    expect(await page.getByRole('dialog').getByRole('button', { name: 'Edit' }).count()).toBe(0);
    await screenshots(page, 'calendar-event');
  });

  it("a guardian sees their child's class events and the holiday, read-only", async () => {
    const page = await signedIn(GUARDIAN, '/children');
    await openMonth(page);
    await expect.poll(() => cell(page, WEDNESDAY).getByRole('button', { name: '10:00 Maths test' }).isVisible()).toBe(true);
    expect(await cell(page, FRIDAY).getByRole('button', { name: 'Holiday: Founders day' }).isVisible()).toBe(true);
    expect(await page.getByText('Staff meeting').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'New event' }).count()).toBe(0);
  });

  it('an admin edits the series from one occurrence, seeing its rule and the date it leaves out, and deletes it after confirming', async () => {
    const page = await signedIn(ADMIN, '/admin');
    await openMonth(page);
    const dialog = page.getByRole('dialog');
    const leftOut = CLUB_DAYS[3]!;
    await cell(page, WEDNESDAY).getByRole('button', { name: '15:00 Chess club' }).click();
    expect(await dialog.getByTestId('event-when').textContent()).toContain('15:00–16:30');
    await dialog.getByRole('button', { name: 'Edit' }).click();
    // The form edits the series: it starts on the first Monday, not on the Wednesday opened, with its rule in the builder.
    await expect.poll(() => field(dialog, 'First day of the series').inputValue()).toBe(MONDAY);
    expect(await field(dialog, 'Repeat').inputValue()).toBe('Every week');
    expect(await dialog.getByRole('checkbox', { name: 'Monday' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Wednesday' }).isChecked()).toBe(true);
    expect(await dialog.getByRole('checkbox', { name: 'Friday' }).isChecked()).toBe(false);
    expect(await dialog.getByRole('status').textContent()).toBe('Every week on Monday, Wednesday, 4 times');
    expect(await dialog.getByText('No dates left out.').isVisible()).toBe(true);
    await field(dialog, 'Title').fill('Chess and go club');
    await field(dialog, 'Starts').fill('14:00');
    await field(dialog, 'Date to leave out').fill(leftOut);
    await dialog.getByRole('button', { name: 'Leave out this date' }).click();
    await dialog.getByRole('button', { name: 'Save event' }).click();
    for (const day of CLUB_DAYS.slice(0, 3)) {
      await expect.poll(() => cell(page, day).getByRole('button', { name: '14:00 Chess and go club' }).isVisible(), { message: day }).toBe(true);
    }
    expect(await cell(page, leftOut).getByRole('button', { name: /Chess and go club/ }).count()).toBe(0);

    // Opened again, the form reads the stored series: the same rule and the date left out, which can be taken back in.
    await cell(page, plusDays(MONDAY, 7)).getByRole('button', { name: /Chess and go club/ }).click();
    await dialog.getByRole('button', { name: 'Edit' }).click();
    await expect.poll(() => dialog.getByRole('button', { name: /^Take .+ back in$/ }).count()).toBe(1);
    expect(await field(dialog, 'First day of the series').inputValue()).toBe(MONDAY);
    expect(await dialog.getByRole('status').textContent()).toBe('Every week on Monday, Wednesday, 4 times');
    await screenshots(page, 'calendar-edit-series');
    await dialog.getByRole('button', { name: /^Take .+ back in$/ }).click();
    expect(await dialog.getByText('No dates left out.').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // A rule the builder cannot show (every year) is named and kept as it is.
    await apiCall(server.url, 'POST', '/api/calendar/events', adminToken, { title: 'Sports day', type: 'event', allDay: true, date: plusDays(MONDAY, 3), audience: { all: true }, recurrence: 'FREQ=YEARLY' });
    await page.reload();
    await cell(page, plusDays(MONDAY, 3)).getByRole('button', { name: 'Sports day' }).click();
    await dialog.getByRole('button', { name: 'Edit' }).click();
    await expect.poll(() => dialog.getByText(/repeats by a rule this form cannot show \(FREQ=YEARLY\)/).isVisible()).toBe(true);
    expect(await field(dialog, 'Repeat').inputValue()).toBe('Keep its own rule');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await cell(page, plusDays(MONDAY, 7)).getByRole('button', { name: /Chess and go club/ }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    expect(await dialog.getByText('It repeats: every occurrence is deleted.').isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Delete event' }).click();
    await expect.poll(() => page.getByRole('button', { name: /Chess and go club/ }).count()).toBe(0);
    await page.reload();
    await page.getByRole('table').waitFor();
    expect(await page.getByRole('button', { name: /Chess and go club/ }).count()).toBe(0);
    expect(await cell(page, FRIDAY).getByRole('button', { name: 'Holiday: Founders day' }).isVisible()).toBe(true);
  });

  it('at 375 px the month is a list of the days with events, without overflowing', async () => {
    const page = await signedIn(ADMIN, '/admin');
    await page.setViewportSize(PHONE);
    await page.goto(`${server.url}/calendar?date=${MONDAY}`);
    const days = page.getByRole('list', { name: /with events$/ });
    await expect.poll(() => days.getByRole('listitem').count()).toBeGreaterThan(0);
    const friday = days.locator(`li[data-day="${FRIDAY}"]`);
    expect(await friday.getByRole('button', { name: 'Holiday: Founders day' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    // Keyboard only: the holiday opens with Enter.
    await friday.getByRole('button', { name: 'Holiday: Founders day' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').getByTestId('event-when').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await screenshots(page, 'calendar-phone');
  });
});
