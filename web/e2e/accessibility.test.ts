import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ROUTES, type AppRole, type AppRoute } from './app-routes';
import { DESKTOP, expectAccessible, hasChromium, launchBrowser, PHONE } from './browser';
import { seedRegisterSchool } from './register-api';
import { apiCall, apiLogin, signInThroughForm } from './school-api';
import { type RunningServer, startServer } from './server';
import { seedAssignment, seedGrade } from './teaching-api';

/** An account named like a person, its username from the name. */
const person = (name: string) => ({ name, username: name.toLowerCase().replace(' ', '.'), password: `a-long-secret-of-${name.split(' ')[0]}` });
type Person = ReturnType<typeof person>;
const ADMIN = { institutionName: 'Meadow School', ...person('Ada Admin') };
const TEACHER = person('Tess Teacher');
const COVER = person('Colin Cover');
// The register's seeding names them; Amy has the guardian, the assignment and the messages.
const STUDENTS: [Person, Person, Person] = [person('Amy Able'), person('Ben Brown'), person('Cleo Cole')];
const GUARDIAN = person('Gina Guardian');

const ACCOUNTS: Record<AppRole, { username: string; password: string }> = { admin: ADMIN, teacher: TEACHER, student: STUDENTS[0], guardian: GUARDIAN };
const START: Record<AppRole, string> = { admin: '/admin', teacher: '/today', student: '/today', guardian: '/children' };
const ROLES: AppRole[] = ['admin', 'teacher', 'student', 'guardian'];

/** Every page, visited as each role that reaches it. */
const VISITS = ROLES.flatMap((role) => (Object.keys(APP_ROUTES) as AppRoute[]).filter((route) => (APP_ROUTES[route] as readonly AppRole[]).includes(role)).map((route) => ({ role, route })));

/** A shared machine: a page with its lazy chunk, its queries and two axe runs needs more than the default. */
const LONG = 120_000;

let server: RunningServer;
let browser: Browser;
const pages = {} as Record<AppRole, Page>;
let school: Awaited<ReturnType<typeof seedRegisterSchool>>;
let ids: { assignment: string; announcement: string; guardian: string };

/** The address of a page of the app, its parameters filled with the seeded school's records. */
function addressOf(route: AppRoute, role: AppRole): string {
  const conversationWith: Record<AppRole, string> = { admin: school.teacher.id, teacher: school.student.id, student: school.teacher.id, guardian: school.teacher.id };
  const id = route.startsWith('/assignments') ? ids.assignment : route.startsWith('/announcements') ? ids.announcement : school.schoolClass.id;
  const address = route
    .replace(':id', id)
    .replace(':studentId', school.student.id)
    .replace(':lessonId', school.mathsLesson.id)
    .replace(':userId', conversationWith[role]);
  if (address.includes(':')) throw new Error(`no seeded record for ${route}: add it to addressOf`);
  return address;
}

/** Waits until what was asked for has arrived: no request open, no loader. */
async function loaded(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('.mantine-Loader-root').count()).toBe(0);
}

/** Waits until the page is shown with its data: its heading first (the page's code is loaded on demand). */
async function settle(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await loaded(page);
}

/**
 * Nothing wider than a phone's screen: the document does not scroll sideways. A table or a week
 * grid scrolling inside its own region is deliberate and not counted (it does not widen the document).
 */
async function expectNoSidewaysScroll(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const scrollsItself = (element: Element | null): boolean => {
      for (let node = element?.parentElement; node; node = node.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(node).overflowX)) return true;
      }
      return false;
    };
    const wide = [...document.body.querySelectorAll('*')].filter((element) => element.getBoundingClientRect().right > width + 1 && !scrollsItself(element));
    return {
      scrollWidth: document.documentElement.scrollWidth,
      culprits: wide.slice(0, 5).map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} "${(element.textContent ?? '').slice(0, 40)}"`),
    };
  });
  expect(overflow, `${what} scrolls sideways at ${PHONE.width} px`).toBeNull();
}

/** Tabs through the whole page from its top: every stop must show where the focus is. */
async function expectFocusVisibleThroughout(page: Page, what: string): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const unseen: string[] = [];
  const stops = new Set<string>();
  for (let press = 0; press < 120; press++) {
    await page.keyboard.press('Tab');
    const element = await focused(page);
    if (element.tag === 'body' || stops.has(element.path)) break;
    stops.add(element.path);
    if (!element.seen) unseen.push(`${element.tag} "${element.name.slice(0, 60)}"`);
  }
  expect(unseen, `${what}: Tab stops that do not show the focus`).toEqual([]);
}

/** axe at desktop and phone width, sideways scrolling at phone width, one h1, the focus visible at every Tab stop. */
async function checkPage(page: Page, what: string): Promise<void> {
  expect(await page.locator('h1').count(), `${what}: exactly one h1`).toBe(1);
  await expectAccessible(page, `${what} (desktop)`);
  await expectFocusVisibleThroughout(page, what);
  await page.setViewportSize(PHONE);
  // The navigation slides away on a phone; its transition ends first.
  await page.waitForTimeout(400);
  try {
    await expectAccessible(page, `${what} (phone)`);
    await expectNoSidewaysScroll(page, what);
  } finally {
    await page.setViewportSize(DESKTOP);
  }
}

/** The element that has the keyboard focus, described by its name (label, aria-label or text) and address. */
function focused(page: Page) {
  return page.evaluate(() => {
    /**
     * Where the focus is shows: a ring (Mantine draws its focus ring as an outline), or, for a text
     * field, its look changes (a coloured border): compared with the same element unfocused.
     */
    const focusShows = (element: HTMLElement): boolean => {
      const style = getComputedStyle(element);
      if ((style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none') return true;
      // A date or time field highlights the part being typed itself (and refocusing it would start again at its first part).
      if (element instanceof HTMLInputElement && /^(date|time|datetime-local|month|week)$/.test(element.type)) return true;
      // The field and the two boxes around it (a password field's border is its wrapper's), without
      // their transitions so the unfocused look is there at once.
      const boxes = [element, element.parentElement, element.parentElement?.parentElement].filter((box): box is HTMLElement => box instanceof HTMLElement);
      const look = () =>
        boxes
          .map((box) => {
            const { outlineStyle, outlineWidth, boxShadow, borderColor, backgroundColor } = getComputedStyle(box);
            return [outlineStyle, outlineWidth, boxShadow, borderColor, backgroundColor].join();
          })
          .join('|');
      const transitions = boxes.map((box) => box.style.transition);
      for (const box of boxes) box.style.transition = 'none';
      const focusedLook = look();
      element.blur();
      const unfocusedLook = look();
      element.focus();
      boxes.forEach((box, index) => (box.style.transition = transitions[index] ?? ''));
      return focusedLook !== unfocusedLook;
    };
    const element = document.activeElement as HTMLElement | null;
    const labelled = element as HTMLInputElement | null;
    const name = element?.getAttribute('aria-label') ?? labelled?.labels?.[0]?.textContent ?? element?.textContent ?? '';
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      name: name.replace(/\s+/g, ' ').trim(),
      href: element?.getAttribute('href') ?? '',
      id: element?.id ?? '',
      // Where it is in the document, to notice when Tab has gone round.
      path: (() => {
        const steps: number[] = [];
        for (let node: Element | null = element; node?.parentElement; node = node.parentElement) steps.push([...node.parentElement.children].indexOf(node));
        return steps.join('.');
      })(),
      inDialog: element?.closest('[role="dialog"]') !== null,
      seen: element !== null && focusShows(element),
    };
  });
}

type Focused = Awaited<ReturnType<typeof focused>>;

/** Presses Tab (or Shift+Tab) until the focus is on what `wanted` accepts; fails after `most` presses. */
async function tabTo(page: Page, wanted: (element: Focused) => boolean, what: string, { most = 60, back = false } = {}): Promise<Focused[]> {
  const passed: Focused[] = [];
  for (let press = 0; press < most; press++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const element = await focused(page);
    passed.push(element);
    if (element.tag !== 'body') expect(element.seen, `a visible focus on ${element.name || element.tag}`).toBe(true);
    if (wanted(element)) return passed;
  }
  throw new Error(`${what} not reached within ${most} Tab presses; passed: ${passed.map((element) => element.name || element.tag).join(' | ')}`);
}

describe.skipIf(!hasChromium)('every page and the main dialogs: WCAG 2.1 A/AA, a phone, the keyboard', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // One school with something on every page: 7A with a curriculum and today's lessons, a guardian
    // linked to Amy, an assignment Amy handed in and had graded, messages, an announcement, an event.
    school = await seedRegisterSchool(server.url, { admin: ADMIN, teacher: TEACHER, students: STUDENTS, coverTeacher: COVER });
    const call = (method: string, url: string, token: string, body?: unknown) => apiCall(server.url, method, url, token, body);
    const login = (account: { username: string; password: string }) => apiLogin(server.url, account.username, account.password, school.code);
    const { admin, teacher, student, schoolClass } = school;
    const subjects = (await call('GET', '/api/subjects', admin)).items as { id: string; name: string }[];
    await call(
      'PUT',
      `/api/classes/${schoolClass.id}/subjects`,
      admin,
      subjects.map((subject) => ({ subjectId: subject.id, teacherId: subject.name === 'English' ? school.coverTeacher.id : teacher.id, periodsPerWeek: 3 })),
    );
    const guardian = await call('POST', '/api/users', admin, { ...GUARDIAN, role: 'guardian' });
    await call('POST', `/api/students/${student.id}/guardians`, admin, { guardianId: guardian.id, relationship: 'mother', primary: true });

    const [teacherToken, studentToken, guardianToken] = [await login(TEACHER), await login(STUDENTS[0]), await login(GUARDIAN)];
    const assignment = await seedAssignment(server.url, teacherToken, { title: 'Fractions worksheet', classId: schoolClass.id, maxPoints: 10, dueInMs: 7 * 86_400_000 });
    await seedGrade(server.url, { teacher: teacherToken, student: studentToken }, assignment, 8);
    await call('POST', '/api/messages', admin, { receiverId: teacher.id, message: 'Welcome to the new term.' });
    await call('POST', '/api/messages', teacherToken, { receiverId: student.id, message: 'Please bring your compass tomorrow.' });
    await call('POST', '/api/messages', guardianToken, { receiverId: teacher.id, message: 'Amy will be late on Friday.' });
    const announcement = await call('POST', '/api/announcements', admin, { title: 'Sports day', body: 'Bring trainers and water.', audience: { all: true } });
    await call('POST', '/api/calendar/events', admin, { title: 'Parents evening', type: 'meeting', allDay: true, date: new Date().toISOString().slice(0, 10), audience: { all: true } });
    ids = { assignment, announcement: announcement.id, guardian: guardian.id };

    for (const role of ROLES) {
      pages[role] = await (await browser.newContext({ viewport: DESKTOP })).newPage();
      pages[role].setDefaultTimeout(15_000);
      await signInThroughForm(pages[role], server.url, ACCOUNTS[role], school.code, START[role]);
    }
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(VISITS)('$route as $role', async ({ role, route }) => {
    const page = pages[role];
    const address = addressOf(route, role);
    await page.goto(server.url + address);
    await settle(page);
    // Still there: the role reaches this page rather than being sent to its start page.
    expect(new URL(page.url()).pathname).toBe(address);
    await checkPage(page, `${address} as ${role}`);
  }, LONG);

  // Pages whose main content shows only once something is picked: the week grids of the editor.
  it.each([
    { what: "a class's week in the timetable editor", address: () => `/admin/timetable?kind=class&id=${school.schoolClass.id}` },
    { what: "a teacher's week in the timetable editor", address: () => `/admin/timetable?kind=teacher&id=${school.teacher.id}` },
    { what: "the teachers' print view", address: () => '/admin/timetable/print?kind=teacher' },
  ])('$what', async ({ what, address }) => {
    const page = pages.admin;
    await page.goto(server.url + address());
    await settle(page);
    await checkPage(page, what);
  }, LONG);

  it.each(['/sign-in', '/sign-up', '/no-such-page'])('%s before signing in', async (address) => {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    await page.goto(server.url + address);
    await settle(page);
    await checkPage(page, `${address} signed out`);
    await page.context().close();
  }, LONG);

  it.each(ROLES)("the %s's navigation opened on a phone", async (role) => {
    const page = pages[role];
    await page.goto(server.url + START[role]);
    await settle(page);
    await page.setViewportSize(PHONE);
    try {
      await page.getByRole('button', { name: 'Toggle navigation' }).click();
      await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link').first().waitFor();
      await page.waitForTimeout(400);
      await expectAccessible(page, `${role}'s navigation on a phone`);
      await expectNoSidewaysScroll(page, `${role}'s navigation`);
    } finally {
      await page.setViewportSize(DESKTOP);
    }
  }, LONG);

  it.each([
    { role: 'admin', route: '/admin/users', opener: 'Add user' },
    { role: 'admin', route: '/admin/users', opener: 'Import CSV' },
    { role: 'admin', route: '/admin/subjects', opener: 'Add subject' },
    { role: 'admin', route: '/admin/rooms', opener: 'Add room' },
    { role: 'admin', route: '/admin/classes', opener: 'Add class' },
    { role: 'admin', route: '/admin/classes/:id', opener: 'Edit class' },
    { role: 'admin', route: '/admin/cover', opener: 'Record an absence' },
    { role: 'admin', route: '/admin/settings', opener: 'Delete the institution…' },
    { role: 'teacher', route: '/calendar', opener: 'New event' },
    { role: 'teacher', route: '/assignments/:id', opener: 'Open the work of Amy Able' },
  ] as const)('the dialog of "$opener" on $route', async ({ role, route, opener }) => {
    const page = pages[role];
    const address = addressOf(route, role);
    await page.goto(server.url + address);
    await settle(page);
    await page.getByRole('button', { name: opener, exact: true }).click();
    await page.getByRole('dialog').waitFor();
    // Its opening transition ends, and what it loads arrives.
    await page.waitForTimeout(300);
    await loaded(page);
    await expectAccessible(page, `${address} with "${opener}" open (desktop)`);
    await page.setViewportSize(PHONE);
    await page.waitForTimeout(400);
    try {
      await expectAccessible(page, `${address} with "${opener}" open (phone)`);
      await expectNoSidewaysScroll(page, `${address} with "${opener}" open`);
    } finally {
      await page.setViewportSize(DESKTOP);
      await page.keyboard.press('Escape');
    }
  }, LONG);

  it("the keyboard alone: sign in, skip to the content, the navigation, a lesson's register marked and saved", async () => {
    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/sign-in`);
    for (const [label, text] of [
      ['Username', TEACHER.username],
      ['Password', TEACHER.password],
      ['Institution code', school.code],
    ] as const) {
      await tabTo(page, (element) => element.tag === 'input' && element.name.startsWith(label), `the ${label} field`);
      await page.keyboard.type(text);
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}${START.teacher}`);
    await settle(page);

    // From the top of the page the skip link comes first, and it moves the focus into the content.
    await page.reload();
    await settle(page);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'a', href: '#main', name: 'Skip to content' });
    await page.keyboard.press('Enter');
    expect((await focused(page)).id).toBe('main');

    // Every navigation entry is a Tab stop, in order.
    await page.reload();
    await settle(page);
    const passed = await tabTo(page, (element) => element.href === '/account', 'the account entry of the navigation');
    const navigation = ['/today', '/week', '/register', '/classes', '/assignments', '/calendar', '/messages', '/announcements', '/account'];
    expect(passed.map((element) => element.href).filter((href) => navigation.includes(href))).toEqual(navigation);
    await tabTo(page, (element) => element.href === '/register', 'the registers entry', { back: true });
    await page.keyboard.press('Enter');
    await page.waitForURL(`${server.url}/register`);
    await settle(page);

    await tabTo(page, (element) => element.href.startsWith(`/register/lessons/${school.mathsLesson.id}`), "the Maths lesson's register");
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/register/lessons/${school.mathsLesson.id}`));
    await settle(page);
    await tabTo(page, (element) => element.name.startsWith('Ben Brown,'), "Ben Brown's mark");
    await page.keyboard.press('Enter');
    expect((await focused(page)).name).toBe('Ben Brown, Absent');
    await tabTo(page, (element) => element.name === 'Save register', 'Save register');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => {
        const register = await apiCall(server.url, 'GET', `/api/schedules/${school.mathsLesson.id}/attendance`, school.admin);
        return (register.students as { student: { name: string }; status: string }[]).find((entry) => entry.student.name === 'Ben Brown')?.status;
      })
      .toBe('absent');
    await page.context().close();
  }, LONG);

  it('a dialog keeps the focus inside, Escape closes it and the focus goes back to its opener', async () => {
    const page = pages.admin;
    await page.goto(`${server.url}/admin/users`);
    await settle(page);
    await tabTo(page, (element) => element.tag === 'button' && element.name === 'Add user', 'the Add user button');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    expect((await focused(page)).inDialog).toBe(true);
    for (let press = 0; press < 20; press++) {
      await page.keyboard.press(press % 5 === 4 ? 'Shift+Tab' : 'Tab');
      expect((await focused(page)).inDialog, `focus after ${press + 1} presses`).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    // The focus returns once the closing transition has ended.
    await expect.poll(async () => (await focused(page)).name).toBe('Add user');
    expect((await focused(page)).tag).toBe('button');
  }, LONG);
});
