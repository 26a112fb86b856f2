import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, hasChromium, launchBrowser, screenshots } from './browser';
import { apiCall, fillSignInForm, seedInstitution } from './school-api';
import { type RunningServer, startServer } from './server';

const ADMIN = { name: 'Ada Admin', username: 'ada.admin', password: 'a-long-admin-secret' };
const TEACHER = { name: 'Tara Teacher', username: 'tara.teacher', password: 'a-long-teacher-secret', role: 'teacher' };
const STUDENT = { name: 'Sam Student', username: 'sam.student', password: 'a-long-student-secret', role: 'student' };

let server: RunningServer;
let browser: Browser;
let code = '';
let adminToken = '';
const ids: Record<string, string> = {};
/** The teacher's and the student's pages, each in its own browser context, kept across the chat's steps. */
let teacher: Page;
let student: Page;

/** A signed-in page of its own browser context (its own localStorage, so its own session and socket). */
async function signedIn(account: { username: string; password: string }, path: string): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP });
  await context.grantPermissions(['microphone']);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.url}${path}`);
  await fillSignInForm(page, account, code);
  await page.waitForURL(`${server.url}${path}`);
  return page;
}

const messages = (page: Page) => page.getByTestId('messages');
/** The newest message; shown at once when sent (optimistically), so its server-side facts need a poll. */
const lastMessage = (page: Page) => messages(page).locator('li').last();

/** Sends a text and waits until the server has it (the message no longer says "Sending…"). */
async function send(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Your message' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect.poll(() => messages(page).getByText(text).isVisible()).toBe(true);
  await expect.poll(() => lastMessage(page).getByTestId('delivery').textContent()).not.toContain('Sending…');
}

describe.skipIf(!hasChromium)('messages and announcements in a real browser', () => {
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    ({ code, admin: adminToken } = await seedInstitution(server.url, { ...ADMIN, institutionName: 'Hillside School' }));
    for (const person of [TEACHER, STUDENT]) ids[person.role] = (await apiCall(server.url, 'POST', '/api/users', adminToken, person)).id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a teacher’s message appears live in the student’s open conversation; the student’s reply quotes it on both sides', async () => {
    student = await signedIn(STUDENT, `/messages/${ids.teacher}`);
    await expect.poll(() => student.getByText('No messages yet. Write the first one below.').isVisible()).toBe(true);

    teacher = await signedIn(TEACHER, `/messages/${ids.student}`);
    await send(teacher, 'Please bring your lab notes tomorrow.');

    // No reload on the student's side: the socket's message.created refetches the conversation.
    await expect.poll(() => messages(student).getByText('Please bring your lab notes tomorrow.').isVisible()).toBe(true);
    await screenshots(student, 'conversation');

    // Replying shows the quote in the composer, and a reply can be called off.
    const replyButton = student.getByRole('button', { name: 'Reply to “Please bring your lab notes tomorrow.”' });
    await replyButton.click();
    expect(await student.getByTestId('replying-to').textContent()).toContain('Please bring your lab notes tomorrow.');
    await student.getByRole('button', { name: 'Cancel reply' }).click();
    expect(await student.getByTestId('replying-to').count()).toBe(0);
    await replyButton.click();
    await screenshots(student, 'conversation-replying');
    await send(student, 'I will, thank you!');
    await expect.poll(() => student.getByTestId('replying-to').count()).toBe(0);

    // The quote above the reply, on the student's side and live on the teacher's, with who wrote it.
    expect(await lastMessage(student).getByTestId('quote').textContent()).toBe('Tara TeacherPlease bring your lab notes tomorrow.');
    await expect.poll(() => messages(teacher).getByText('I will, thank you!').isVisible()).toBe(true);
    expect(await lastMessage(teacher).getByTestId('quote').textContent()).toBe('YouPlease bring your lab notes tomorrow.');
    await expect.poll(() => messages(teacher).locator('li').first().getByTestId('delivery').textContent()).toMatch(/Read$/);
  });

  it('the read mark appears live for the sender when the other side opens the conversation', async () => {
    await student.goto(`${server.url}/announcements`);
    await send(teacher, 'See you then.');
    await expect.poll(() => lastMessage(teacher).getByTestId('delivery').textContent()).toMatch(/Sent$/);
    await expect.poll(() => student.getByTestId('unread-messages').textContent()).toBe('1');

    // The list with the conversation's unread badge, then opening it.
    await student.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Messages/ }).click();
    const row = student.getByRole('link', { name: /Tara Teacher/ });
    await expect.poll(() => row.textContent()).toContain('1');
    await screenshots(student, 'conversations');
    await row.click();
    await expect.poll(() => messages(student).getByText('See you then.').isVisible()).toBe(true);

    // The teacher's page was not reloaded: message.read refetched it.
    await expect.poll(() => lastMessage(teacher).getByTestId('delivery').textContent()).toMatch(/Read$/);
    await expect.poll(() => student.getByTestId('unread-messages').count()).toBe(0);
  });

  it('records a voice message that the other side plays and seeks in', async () => {
    // The player's source is a blob: URL; a Content-Security-Policy without `media-src blob:`
    // blocks it, which the browser only says on the console.
    const blocked: string[] = [];
    student.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) blocked.push(message.text());
    });
    await teacher.getByRole('button', { name: 'Record a voice message' }).click();
    await expect.poll(() => teacher.getByRole('button', { name: 'Stop recording' }).isVisible()).toBe(true);
    await teacher.waitForTimeout(2200);
    await teacher.getByRole('button', { name: 'Stop recording' }).click();
    await expect.poll(() => teacher.getByTestId('voice-preview').locator('audio').count()).toBe(1);
    await screenshots(teacher, 'conversation-voice-recorded');

    const audioDownload = student.waitForResponse((response) => response.url().includes('/api/files/'));
    await teacher.getByRole('button', { name: 'Send voice message' }).click();
    await expect.poll(() => teacher.getByTestId('voice-preview').count()).toBe(0);

    const download = await audioDownload;
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toMatch(/^audio\/(webm|ogg)/);
    const player = lastMessage(student).locator('audio');
    await expect.poll(() => player.count()).toBe(1);
    expect(await player.getAttribute('aria-label')).toMatch(/^Voice message, 0:0[2-3]$/);
    await student.waitForTimeout(300);
    expect(blocked).toEqual([]);
    // The whole recording is known to the player (webm from MediaRecorder has no duration until
    // read through), so it can seek: jump to the middle and stay there.
    await expect.poll(() => player.evaluate((audio: HTMLAudioElement) => Number.isFinite(audio.duration) && audio.duration > 1)).toBe(true);
    const position = await player.evaluate(
      (audio: HTMLAudioElement) =>
        new Promise<number>((resolve) => {
          audio.addEventListener('seeked', () => resolve(audio.currentTime), { once: true });
          audio.currentTime = 1;
        }),
    );
    expect(position).toBeCloseTo(1, 0);
    await screenshots(student, 'conversation-voice');
  });

  it('the sender deletes their message after confirming; the other side sees it deleted live', async () => {
    await send(teacher, 'Sorry, wrong chat.');
    await expect.poll(() => messages(student).getByText('Sorry, wrong chat.').isVisible()).toBe(true);
    // Only one's own messages can be taken back.
    expect(await lastMessage(student).getByRole('button', { name: /^Delete/ }).count()).toBe(0);

    await teacher.getByRole('button', { name: 'Delete “Sorry, wrong chat.”' }).click();
    const dialog = teacher.getByRole('dialog', { name: 'Delete this message?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await screenshots(teacher, 'conversation-delete');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => lastMessage(teacher).textContent()).toContain('Message deleted');
    await expect.poll(() => lastMessage(student).textContent()).toContain('Message deleted');
    expect(await messages(student).getByText('Sorry, wrong chat.').count()).toBe(0);
  });

  it('after the network drops, the open conversation gets what was sent meanwhile without a reload', async () => {
    const sockets: string[] = [];
    student.on('websocket', (socket) => sockets.push(socket.url()));
    await student.context().setOffline(true);
    await expect.poll(() => student.getByTestId('live-status').textContent()).toBe('Reconnecting…');
    await screenshots(student, 'conversation-reconnecting');

    await send(teacher, 'First while you were away.');
    await send(teacher, 'Second while you were away.');
    // What the student writes meanwhile waits as "Sending…" and goes out once they are back.
    await student.getByRole('textbox', { name: 'Your message' }).fill('Sorry, my connection dropped.');
    await student.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => lastMessage(student).getByTestId('delivery').textContent()).toContain('Sending…');
    await student.waitForTimeout(500);
    expect(await messages(student).getByText('First while you were away.').count()).toBe(0);

    await student.context().setOffline(false);
    await expect.poll(() => messages(student).getByText('First while you were away.').isVisible()).toBe(true);
    await expect.poll(() => messages(student).getByText('Second while you were away.').isVisible()).toBe(true);
    await expect.poll(() => student.getByTestId('live-status').textContent()).toBe('');
    await expect.poll(() => messages(teacher).getByText('Sorry, my connection dropped.').isVisible()).toBe(true);
    // The new socket resumed after the last event seen, so the server replayed what it missed.
    expect(sockets.length).toBeGreaterThan(0);
    for (const url of sockets) expect(new URL(url).searchParams.get('since')).toMatch(/^\d+$/);
    // And the socket is live again: the next message arrives by itself.
    await send(teacher, 'Welcome back.');
    await expect.poll(() => messages(student).getByText('Welcome back.').isVisible()).toBe(true);
  });

  it('a message the rules refuse leaves the conversation again and its text goes back into the box, with the reason', async () => {
    const other = await apiCall(server.url, 'POST', '/api/users', adminToken, { name: 'Pia Pupil', username: 'pia.pupil', password: 'a-long-pupil-secret', role: 'student' });
    await student.goto(`${server.url}/messages/${other.id}`);
    await expect.poll(() => student.getByText('No messages yet. Write the first one below.').isVisible()).toBe(true);
    await student.getByRole('textbox', { name: 'Your message' }).fill('Hi Pia!');
    await student.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => student.getByRole('alert').textContent()).toContain('the school’s messaging rules do not allow it');
    expect(await student.getByRole('textbox', { name: 'Your message' }).inputValue()).toBe('Hi Pia!');
    expect(await messages(student).locator('li').count()).toBe(0);
  });

  it('pages the conversation list and loads older messages of a long conversation', async () => {
    // 26 students the admin has written to besides the teacher, who then gets 35 messages: a
    // second page of conversations (25 a page), and a conversation longer than its first page (30).
    for (let n = 1; n <= 26; n++) {
      const name = `Pupil ${String(n).padStart(2, '0')}`;
      const pupil = await apiCall(server.url, 'POST', '/api/users', adminToken, { name, username: `pupil${n}`, password: 'a-long-pupil-secret', role: 'student' });
      await apiCall(server.url, 'POST', '/api/messages', adminToken, { receiverId: pupil.id, message: `Hello ${name}` });
    }
    for (let n = 1; n <= 35; n++) await apiCall(server.url, 'POST', '/api/messages', adminToken, { receiverId: ids.teacher, message: `Note ${n}` });

    const admin = await signedIn(ADMIN, '/messages');
    const list = admin.getByRole('list', { name: 'Conversations' });
    await expect.poll(() => list.getByRole('listitem').count()).toBe(25);
    expect(await list.getByRole('listitem').first().textContent()).toContain('Tara Teacher');
    await admin.getByRole('button', { name: '2' }).click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);
    expect(await list.textContent()).toContain('Pupil 01');
    await admin.getByRole('button', { name: '1' }).click();

    await admin.getByRole('link', { name: /Tara Teacher/ }).click();
    await expect.poll(() => messages(admin).getByText('Note 35').isVisible()).toBe(true);
    expect(await messages(admin).getByText('Note 1', { exact: true }).count()).toBe(0);
    await admin.getByRole('button', { name: 'Show older messages' }).click();
    await expect.poll(() => messages(admin).getByText('Note 1', { exact: true }).isVisible()).toBe(true);
    expect(await messages(admin).locator('li').count()).toBe(35);
    await admin.context().close();
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

    await student.goto(`${server.url}/announcements`);
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
