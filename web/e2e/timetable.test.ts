import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, screenshots } from './browser';
import { apiCall, signInThroughForm } from './school-api';
import { type RunningServer, startServer } from './server';
import { type ApiLesson, freeSlotFor, lessonsOf, type SeededSchool, seedTimetableSchool, seedUnfinishableClass, TEACHER_NAMES } from './timetable-api';

const ADMIN = { institutionName: 'Hillside School', name: 'Hana Admin', username: 'hana.admin', password: 'a-long-admin-secret' };
const DAY_NAMES: Record<string, string> = { monday: 'Monday', tuesday: 'Tuesday', wednesday: 'Wednesday', thursday: 'Thursday', friday: 'Friday' };

let server: RunningServer;
let browser: Browser;
let page: Page;
let school: SeededSchool;

const nav = () => page.getByRole('navigation', { name: 'Main navigation' });
const cell = (day: string, period: number) => page.locator(`[data-slot="${day}:${period}"]`);
const lessonCard = (id: string) => page.locator(`[data-lesson="${id}"]`);
const slotName = (slot: { day: string; period: number }) => `${DAY_NAMES[slot.day]}, period ${slot.period}`;

/** A Maths lesson of 7A (its teacher also teaches 7B), where it can go, and a slot where its teacher teaches 7B. */
async function mathsLessonOf7A(): Promise<{ lesson: ApiLesson; free: { day: string; period: number }; clash: ApiLesson }> {
  const all = await lessonsOf(server.url, school.admin);
  const lesson = all.find((entry) => entry.class.name === '7A' && entry.subject.name === 'Maths' && !entry.pinned);
  const clash = all.find((entry) => entry.class.name === '7B' && entry.teacher.id === school.teachers.maths);
  if (!lesson || !clash) throw new Error('the generated timetable lacks the Maths lessons');
  return { lesson, free: freeSlotFor(lesson, all), clash };
}

async function centreOf(locator: ReturnType<Page['locator']>): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Opens a lesson's menu and picks an entry. */
async function lessonMenu(lesson: ApiLesson, slot: { day: string; period: number }, entry: string) {
  await page.getByRole('button', { name: `Actions for ${lesson.subject.name} on ${slotName(slot)}` }).click();
  await page.getByRole('menuitem', { name: entry }).click();
}

describe.skipIf(!hasChromium)("the admin's timetable: generate, edit, print", () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    school = await seedTimetableSchool(server.url, ADMIN);
    // Tall enough for the whole week without scrolling: a drag's pointer moves stay on screen.
    page = await (await browser.newContext({ viewport: { width: DESKTOP.width, height: 1300 } })).newPage();
    page.setDefaultTimeout(15_000);
    await signInThroughForm(page, server.url, ADMIN, school.code, '/admin');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('generates a timetable with live progress, previews it beside the current week and applies it', async () => {
    await nav().getByRole('link', { name: 'Timetable' }).click();
    await page.waitForURL(`${server.url}/admin/timetable?kind=class&id=${school.classes['7A']}`);
    await expect.poll(() => page.getByText('No lessons in this week yet.').isVisible()).toBe(true);
    await screenshots(page, 'timetable-editor-empty');

    await page.getByRole('link', { name: 'Generate a timetable' }).click();
    await page.waitForURL(`${server.url}/admin/timetable/generate`);
    await page.getByLabel('Time limit in seconds').fill('20');
    // All classes at first: 9Z's curriculum cannot fit, and the page says why before any search.
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    const refusal = page.getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('No timetable can meet these requirements:');
    expect(await refusal.getByRole('listitem').allTextContents()).toContain('Class 9Z needs 45 periods a week; its week has 40');
    await screenshots(page, 'timetable-generate');

    const classes = page.getByRole('combobox', { name: 'Classes' });
    for (const name of ['7A', '7B']) {
      await classes.click();
      await page.getByRole('option', { name, exact: true }).click();
    }
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.waitForURL(/\/admin\/timetable\/generate\?job=[0-9a-f-]{36}$/);

    const progress = page.getByTestId('job-progress');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
    // 3 + 2 + 2 periods for each of the two classes, all placed.
    expect(await page.getByTestId('job-placed').textContent()).toBe('14 of 14 lessons placed');
    expect(await page.getByRole('progressbar', { name: 'Lessons placed' }).getAttribute('aria-valuenow')).toBe('100');
    expect(await page.getByText('Every lesson was placed.').isVisible()).toBe(true);

    // 7A's current week is empty; the proposed one holds its 7 lessons.
    const current = page.getByRole('table', { name: 'Current week' });
    const proposed = page.getByRole('table', { name: 'Proposed week' });
    expect(await current.getByText('Maths', { exact: true }).count()).toBe(0);
    await expect.poll(() => proposed.getByText('Maths', { exact: true }).count()).toBe(3);
    expect(await proposed.getByText('English', { exact: true }).count()).toBe(2);
    await screenshots(page, 'timetable-preview');

    await page.getByRole('button', { name: 'Apply this timetable' }).click();
    await page.waitForURL(`${server.url}/admin/timetable?kind=class&id=${school.classes['7A']}`);
    await expect.poll(() => page.locator('[data-lesson]').count()).toBe(7);
    expect(await lessonsOf(server.url, school.admin, `&classId=${school.classes['7A']}`)).toHaveLength(7);
  });

  it('drags a lesson to a free cell, showing clashes on the way before the drop', async () => {
    const { lesson, free, clash } = await mathsLessonOf7A();
    await page.reload();
    const handle = lessonCard(lesson.id).getByRole('button').first();
    await handle.waitFor();

    const start = await centreOf(handle);
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    // dnd-kit starts a drag after a few pixels of movement, then follows the pointer.
    await page.mouse.move(start.x + 8, start.y + 8, { steps: 4 });
    const over = await centreOf(cell(clash.day, clash.period));
    await page.mouse.move(over.x, over.y, { steps: 12 });
    await expect.poll(() => cell(clash.day, clash.period).getAttribute('data-target')).toBe('clash');
    expect(await cell(free.day, free.period).getAttribute('data-target')).toBe('free');
    expect(await page.getByTestId('drag-status').textContent()).toContain(`${TEACHER_NAMES.maths} already teaches Maths to 7B then.`);

    const target = await centreOf(cell(free.day, free.period));
    await page.mouse.move(target.x, target.y, { steps: 12 });
    await expect.poll(() => page.getByTestId('drag-status').textContent()).toBe(`${slotName(free)} is free.`);
    await page.mouse.up();

    await expect.poll(() => cell(free.day, free.period).locator(`[data-lesson="${lesson.id}"]`).count()).toBe(1);
    await page.reload();
    await expect.poll(() => cell(free.day, free.period).locator(`[data-lesson="${lesson.id}"]`).count()).toBe(1);
    const moved = (await lessonsOf(server.url, school.admin)).find((entry) => entry.id === lesson.id);
    expect({ day: moved?.day, period: moved?.period }).toEqual(free);
  });

  it('warns of a clash in "Move to…" and explains the 409 in words, leaving the lesson where it was', async () => {
    const { lesson, clash } = await mathsLessonOf7A();
    await lessonMenu(lesson, lesson, 'Move to…');
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Day' }).click();
    await page.getByRole('option', { name: DAY_NAMES[clash.day], exact: true }).click();
    await dialog.getByRole('combobox', { name: 'Period' }).click();
    await page.getByRole('option', { name: new RegExp(`^Period ${clash.period} `) }).click();
    await expect.poll(() => dialog.textContent()).toContain(`${TEACHER_NAMES.maths} already teaches Maths to 7B then.`);
    await dialog.getByRole('button', { name: 'Move', exact: true }).click();

    const alert = page.getByRole('alert').filter({ hasText: 'could not be put there' });
    await expect.poll(() => alert.textContent()).toContain(`The lesson could not be put there: ${TEACHER_NAMES.maths} already teaches Maths to 7B then.`);
    // Rolled back: still in its own cell, and not in the other.
    expect(await cell(lesson.day, lesson.period).locator(`[data-lesson="${lesson.id}"]`).count()).toBe(1);
    expect(await cell(clash.day, clash.period).locator(`[data-lesson="${lesson.id}"]`).count()).toBe(0);
    await screenshots(page, 'timetable-editor');
  });

  it('pins a lesson, and deletes one behind a confirmation and adds it back from the curriculum', async () => {
    const { lesson } = await mathsLessonOf7A();
    await lessonMenu(lesson, lesson, 'Pin (keep when generating)');
    await expect.poll(() => lessonCard(lesson.id).getByText('Pinned').count()).toBe(1);
    await page.reload();
    await expect.poll(() => lessonCard(lesson.id).getByText('Pinned').count()).toBe(1);
    expect((await lessonsOf(server.url, school.admin)).find((entry) => entry.id === lesson.id)?.pinned).toBe(true);

    const english = (await lessonsOf(server.url, school.admin, `&classId=${school.classes['7A']}`)).find((entry) => entry.subject.name === 'English')!;
    await lessonMenu(english, english, 'Delete');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete lesson' }).click();
    await expect.poll(() => lessonCard(english.id).count()).toBe(0);

    await cell(english.day, english.period).getByRole('button', { name: `Add a lesson on ${slotName(english)}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('combobox', { name: 'Subject' }).click();
    await page.getByRole('option', { name: `English with ${TEACHER_NAMES.english} (1 missing)` }).click();
    await expect.poll(() => dialog.textContent()).toContain(`${slotName(english)} is free for this lesson.`);
    await dialog.getByRole('button', { name: 'Add lesson' }).click();
    await expect.poll(() => cell(english.day, english.period).getByText('English', { exact: true }).count()).toBe(1);
  });

  it("shows a teacher's week, and prints every class on a page of its own without the navigation", async () => {
    await page.getByRole('radiogroup', { name: 'Show the week of a' }).getByText('Teacher', { exact: true }).click();
    await page.getByRole('combobox', { name: 'Teacher' }).click();
    await page.getByRole('option', { name: TEACHER_NAMES.maths }).click();
    await expect.poll(() => page.locator('[data-lesson]').count()).toBe(6);

    await page.getByRole('link', { name: 'Print' }).click();
    await page.waitForURL(`${server.url}/admin/timetable/print?kind=teacher`);
    await page.getByRole('heading', { name: 'Print timetables' }).waitFor({ timeout: 30_000 });
    await page.getByRole('radiogroup', { name: 'Timetables of every' }).getByText('Class', { exact: true }).click();
    await page.waitForURL(`${server.url}/admin/timetable/print?kind=class`);
    const blocks = page.locator('.timetable-print-block');
    await expect.poll(() => blocks.count()).toBe(2);
    expect(await page.getByRole('main').getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Class 7A', 'Class 7B']);
    await screenshots(page, 'timetable-print');

    await page.emulateMedia({ media: 'print' });
    expect(await nav().isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await blocks.first().evaluate((block) => getComputedStyle(block).breakAfter)).toBe('page');
    // One landscape A4 page a class: Chromium writes each page as a `/Type /Page` object with its size.
    const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page\b/g)).toHaveLength(2);
    expect(pdf.match(/\/MediaBox\s*\[0 0 841\.\d+ 594\.\d+/g)).toHaveLength(2);
    await page.emulateMedia({ media: 'screen' });
    expect(await nav().isVisible()).toBe(true);
  });

  it('shows a running job live, says JOB_RUNNING in words in a second tab, follows it there and cancels it', async () => {
    await seedUnfinishableClass(server.url, school.admin);
    await page.goto(`${server.url}/admin/timetable/generate`);
    await page.getByRole('combobox', { name: 'Classes' }).click();
    await page.getByRole('option', { name: '8X', exact: true }).click();
    await page.getByLabel('Time limit in seconds').fill('120');
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await page.waitForURL(/\/admin\/timetable\/generate\?job=[0-9a-f-]{36}$/);
    const jobUrl = page.url();

    const progress = page.getByTestId('job-progress');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 30_000 }).toBe('running');
    const elapsed = await page.getByTestId('job-elapsed').textContent();
    await expect.poll(() => page.getByTestId('job-elapsed').textContent(), { timeout: 10_000 }).not.toBe(elapsed);
    expect(await page.getByTestId('job-placed').textContent()).toMatch(/^\d+ of 40 lessons placed$/);
    await screenshots(page, 'timetable-generate-running');

    const other = await page.context().newPage();
    await other.goto(`${server.url}/admin/timetable/generate`);
    await other.getByRole('combobox', { name: 'Classes' }).click();
    await other.getByRole('option', { name: '7A', exact: true }).click();
    await other.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect.poll(() => other.getByRole('alert').textContent()).toContain('A timetable is already being generated for this school.');
    await other.getByRole('button', { name: 'Follow the running job' }).click();
    await other.waitForURL(jobUrl);
    await other.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => other.getByTestId('job-progress').getAttribute('data-status')).toBe('cancelled');
    await other.close();
    // The first tab, still following, sees it end too.
    await expect.poll(() => progress.getAttribute('data-status')).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Start over' }).isVisible()).toBe(true);
  });

  it('explains why a result can no longer be applied once the school changed (409 STALE)', async () => {
    await page.goto(`${server.url}/admin/timetable/generate`);
    const classes = page.getByRole('combobox', { name: 'Classes' });
    for (const name of ['7A', '7B']) {
      await classes.click();
      await page.getByRole('option', { name, exact: true }).click();
    }
    await page.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect.poll(() => page.getByTestId('job-progress').getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');

    // Meanwhile someone deletes a lesson of 7B.
    const [gone] = await lessonsOf(server.url, school.admin, `&classId=${school.classes['7B']}`);
    await apiCall(server.url, 'DELETE', `/api/schedules/${gone!.id}`, school.admin);
    await page.getByRole('button', { name: 'Apply this timetable' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe(
      'The school changed since this timetable was generated (a curriculum, availability, the bell schedule or the lessons), so it no longer fits. Generate it again.',
    );
    expect(page.url()).toContain('/admin/timetable/generate?job=');
  });
});
