import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, screenshots } from './browser';
import { type RunningServer, startServer } from './server';

const ADMIN = { name: 'Ada Admin', username: 'ada.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Tara Teacher', username: 'tara.teacher', password: 'a-long-teacher-secret', role: 'teacher' };
const STUDENT = { name: 'Sam Student', username: 'sam.student', password: 'a-long-student-secret', role: 'student' };

let server: RunningServer;
let browser: Browser;
let code = '';
const ids: Record<string, string> = {};

async function call(method: string, url: string, body: unknown, token?: string) {
  const response = await fetch(server.url + url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const data = (await response.json()) as Record<string, any>;
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${JSON.stringify(data)}`);
  return data;
}

/** A signed-in page of its own browser context (its own localStorage, so its own session and socket). */
async function signedIn(account: { username: string; password: string }, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.url}${path}`);
  await page.getByRole('textbox', { name: 'Username', exact: true }).fill(account.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(account.password);
  await page.getByRole('textbox', { name: 'Institution code', exact: true }).fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}${path}`);
  return page;
}

const messages = (page: Page) => page.getByTestId('messages');

describe.skipIf(!hasChromium)('messages and announcements in a real browser', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const setup = await call('POST', '/api/setup/admin', { ...ADMIN, institutionName: 'Hillside School' });
    code = setup.institution.code;
    const { token } = await call('POST', '/api/auth/login', { username: ADMIN.username, password: ADMIN.password, institutionCode: code });
    for (const person of [TEACHER, STUDENT]) ids[person.role] = (await call('POST', '/api/users', person, token)).id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a teacher’s message appears live in the student’s open conversation, and the student replies', async () => {
    const student = await signedIn(STUDENT, `/messages/${ids.teacher}`);
    await expect.poll(() => student.getByText('No messages yet. Write the first one below.').isVisible()).toBe(true);

    const teacher = await signedIn(TEACHER, `/messages/${ids.student}`);
    await teacher.getByRole('textbox', { name: 'Your message' }).fill('Please bring your lab notes tomorrow.');
    await teacher.getByRole('button', { name: 'Send' }).click();

    // No reload on the student's side: the socket's message.created refetches the conversation.
    await expect.poll(() => messages(student).getByText('Please bring your lab notes tomorrow.').isVisible()).toBe(true);
    await screenshots(student, 'conversation');

    await student.getByRole('button', { name: 'Reply to “Please bring your lab notes tomorrow.”' }).click();
    await student.getByRole('textbox', { name: 'Your message' }).fill('I will, thank you!');
    await student.getByRole('button', { name: 'Send' }).click();

    await expect.poll(() => messages(teacher).getByText('I will, thank you!').isVisible()).toBe(true);
    // The reply quotes the teacher's message, and the teacher's own message shows it was read.
    expect(await messages(teacher).locator('li').last().textContent()).toContain('Please bring your lab notes tomorrow.');
    await expect.poll(() => messages(teacher).getByText(/Read$/).count()).toBeGreaterThan(0);

    // The list of conversations, with the unread badge in the navigation on the student's side.
    await teacher.getByRole('link', { name: 'All conversations' }).click();
    await expect.poll(() => teacher.getByRole('link', { name: /Sam Student/ }).isVisible()).toBe(true);
    await screenshots(teacher, 'conversations');
    await student.goto(`${server.url}/announcements`);
    await teacher.goto(`${server.url}/messages/${ids.student}`);
    await teacher.getByRole('textbox', { name: 'Your message' }).fill('See you then.');
    await teacher.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => student.getByTestId('unread-messages').textContent()).toBe('1');
  });

  it('an admin posts an announcement asking for confirmation, the student confirms, the admin sees the read', async () => {
    const admin = await signedIn(ADMIN, '/announcements');
    await admin.getByRole('button', { name: 'New announcement' }).click();
    await admin.getByRole('textbox', { name: 'Title' }).fill('Fire drill on Friday');
    await admin.getByRole('textbox', { name: 'Text' }).fill('Meet at the **sports field**.\n<script>alert(1)</script>');
    await admin.getByRole('checkbox', { name: 'Ask readers to confirm they have read it' }).check();
    await admin.getByRole('button', { name: 'Post announcement' }).click();
    await expect.poll(() => admin.getByRole('heading', { name: 'Fire drill on Friday' }).isVisible()).toBe(true);
    const url = admin.url();

    const student = await signedIn(STUDENT, '/announcements');
    await expect.poll(() => student.getByRole('link', { name: /Fire drill on Friday.*Unread/ }).isVisible()).toBe(true);
    await screenshots(student, 'announcements');
    await student.getByRole('link', { name: /Fire drill on Friday/ }).click();
    // Shown as text: the script tag is words on the page, never an element.
    await expect.poll(() => student.getByText('<script>alert(1)</script>', { exact: false }).isVisible()).toBe(true);
    expect(await student.locator('main script').count()).toBe(0);
    await student.getByRole('button', { name: 'Confirm I have read this' }).click();
    await expect.poll(() => student.getByText(/You confirmed reading this on/).isVisible()).toBe(true);
    await screenshots(student, 'announcement');

    await admin.goto(url);
    await expect.poll(() => admin.getByRole('list', { name: 'Read by' }).textContent()).toContain(STUDENT.name);
    await screenshots(admin, 'announcement-reads');
  });
});
