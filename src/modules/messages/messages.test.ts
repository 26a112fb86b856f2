import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { localFiles, SAMPLES, uploadIds } from '../../../test/files.js';
import { createMember, expectErrorShape, expectExactShape, type TestUser } from '../../../test/helpers.js';
import { instant, useAssignmentSchool } from '../assignments/test-school.js';
import { ConversationList, ConversationPage, MessageView } from './schemas.js';

const fixture = useAssignmentSchool();
const { ctx, s, as, tenant } = fixture;
const state = () => fixture.state(['messages', 'conversations', 'files', 'activityLogs', 'events']);

const admin = () => ({ id: ctx.school.admin.id, token: ctx.school.adminToken });

async function send(from: { token: string }, body: Record<string, unknown>) {
  const response = await as(from.token).post('/api/messages', body);
  expect(response.statusCode, response.body).toBe(201);
  expectExactShape(MessageView, response.data);
  return response.data as Record<string, any> & { id: string };
}

const text = (to: { id: string }, message: string, extra: Record<string, unknown> = {}) => ({ receiverId: to.id, message, ...extra });

/** Two fresh teachers, so a test's conversation starts empty. */
async function pair(): Promise<[TestUser, TestUser]> {
  return [await createMember(ctx.app, ctx.school, 'teacher'), await createMember(ctx.app, ctx.school, 'teacher')];
}

/** The live events written for an account, oldest first. */
const eventsFor = (userId: string) =>
  tenant().selectFrom('events').select(['type', 'data']).where('userId', '=', userId).orderBy('cursor').execute();

const logs = (targetId: string) =>
  tenant().selectFrom('activityLogs').select(['action', 'targetType', 'details', 'userId']).where('targetId', '=', targetId).orderBy('createdAt').execute();

const messageRow = (id: string) =>
  tenant().selectFrom('messages').select(['senderId', 'receiverId', 'messageType', 'body', 'fileId', 'durationSeconds', 'replyToId', 'readAt', 'deletedAt', 'deletedBy']).where('id', '=', id).executeTakeFirstOrThrow();

describe('sending', () => {
  it('stores a text message, answers it whole, tells both sides and logs it without its body', async () => {
    const [a, b] = await pair();
    const response = await as(a.token).post('/api/messages', text(b, 'Hello there'));
    expect(response.statusCode, response.body).toBe(201);
    const { id } = response.data;
    expect(response.data).toEqual({
      id: expect.any(String),
      senderId: a.id,
      receiverId: b.id,
      messageType: 'text',
      message: 'Hello there',
      file: null,
      durationSeconds: null,
      replyTo: null,
      aboutStudentId: null,
      readAt: null,
      deletedAt: null,
      createdAt: expect.any(String),
    });
    expect(await messageRow(id)).toEqual({
      senderId: a.id,
      receiverId: b.id,
      messageType: 'text',
      body: 'Hello there',
      fileId: null,
      durationSeconds: null,
      replyToId: null,
      readAt: null,
      deletedAt: null,
      deletedBy: null,
    });
    const created = { type: 'message.created', data: { messageId: id, senderId: a.id, receiverId: b.id } };
    expect(await eventsFor(b.id)).toEqual([created]);
    expect(await eventsFor(a.id)).toEqual([created]);
    const entries = await logs(id);
    expect(entries).toEqual([
      { action: 'send', targetType: 'message', userId: a.id, details: { receiverId: b.id, messageType: 'text', replyTo: null, fileId: null } },
    ]);
    expect(JSON.stringify(entries)).not.toContain('Hello there');
    expect(
      await tenant().selectFrom('conversations').select(['userId', 'partnerId', 'lastMessageId', 'unreadCount']).where('lastMessageId', '=', id).orderBy('unreadCount').execute(),
    ).toEqual([
      { userId: a.id, partnerId: b.id, lastMessageId: id, unreadCount: 0 },
      { userId: b.id, partnerId: a.id, lastMessageId: id, unreadCount: 1 },
    ]);
  });

  it('refuses content that does not fit its type, a blank or too long text, and writing to oneself, writing nothing', async () => {
    const [a, b] = await pair();
    const before = await state();
    const cases: [Record<string, unknown>, string[]][] = [
      [{ receiverId: b.id }, ['message']],
      [{ receiverId: b.id, message: 'x', fileId: randomUUID(), durationSeconds: 3 }, ['fileId', 'durationSeconds']],
      [{ receiverId: b.id, messageType: 'audio' }, ['fileId']],
      [{ receiverId: b.id, messageType: 'audio', fileId: randomUUID(), message: 'x' }, ['message']],
      [{ receiverId: a.id, message: 'me' }, ['receiverId']],
    ];
    for (const [body, fields] of cases) {
      const response = await as(a.token).post('/api/messages', body);
      expect(response.statusCode, response.body).toBe(400);
      expectErrorShape(response);
      expect(response.data.code).toBe('VALIDATION_ERROR');
      expect((response.data.details as { field: string }[]).map((d) => d.field), JSON.stringify(body)).toEqual(fields);
    }
    for (const message of ['', '   \n ', 'x'.repeat(5001)]) {
      const response = await as(a.token).post('/api/messages', text(b, message));
      expect(response.statusCode, message.slice(0, 10)).toBe(400);
    }
    expect((await send(a, text(b, 'y'.repeat(5000)))).message).toHaveLength(5000);
    const after = await state();
    expect({ ...after, messages: after.messages - 1, conversations: after.conversations - 2, activityLogs: after.activityLogs - 1, events: after.events - 2 }).toEqual(before);
  });
});

describe('who may write to whom', () => {
  it('students write to their teachers and admins, not to other teachers or students; teachers and admins to anyone', async () => {
    const allowed: [string, { token: string }, { id: string }][] = [
      ['student -> subject teacher', s.ana, s.teacher],
      ['student -> homeroom teacher', s.ben, s.homeroom],
      ['student -> admin', s.cleo, admin()],
      ['teacher -> student of a class they do not teach', s.outsider, s.cleo],
      ['teacher -> teacher', s.teacher, s.homeroom],
      ['teacher -> admin', s.teacher, admin()],
      ['admin -> student', admin(), s.cleo],
      ['admin -> teacher', admin(), s.outsider],
    ];
    for (const [label, from, to] of allowed) {
      const response = await as(from.token).post('/api/messages', text(to, label));
      expect(response.statusCode, `${label}: ${response.body}`).toBe(201);
    }
    const before = await state();
    const refused: [string, { token: string }, { id: string }][] = [
      ['student -> teacher of another class', s.cleo, s.teacher],
      ['student -> teacher of no class of theirs', s.ana, s.outsider],
      ['student -> classmate', s.ana, s.ben],
      ['student -> student of another class', s.ana, s.cleo],
    ];
    for (const [label, from, to] of refused) {
      const response = await as(from.token).post('/api/messages', text(to, label));
      expect({ status: response.statusCode, code: response.data.code }, label).toEqual({ status: 403, code: 'FORBIDDEN' });
      expectErrorShape(response);
    }
    expect(await state()).toEqual(before);
  });

  it('lets a student answer anyone who wrote to them', async () => {
    const stranger = await createMember(ctx.app, ctx.school, 'teacher');
    const student = await createMember(ctx.app, ctx.school, 'student');
    expect((await as(student.token).post('/api/messages', text(stranger, 'hi'))).statusCode).toBe(403);
    await send(stranger, text(student, 'Are you coming to the chess club?'));
    expect((await as(student.token).post('/api/messages', text(stranger, 'Yes!'))).statusCode).toBe(201);
  });

  it('lets students write to students once an admin allows it; the setting is admin only and logged', async () => {
    expect((await as(ctx.school.adminToken).get('/api/settings/messaging')).data).toEqual({ studentToStudent: false });
    for (const who of [s.teacher, s.ana]) {
      expect((await as(who.token).get('/api/settings/messaging')).statusCode).toBe(403);
      const put = await ctx.app.inject({ method: 'PUT', url: '/api/settings/messaging', headers: { authorization: `Bearer ${who.token}` }, payload: { studentToStudent: true } });
      expect(put.statusCode).toBe(403);
    }
    const put = await putSettings('/api/settings/messaging', ctx.school.adminToken, { studentToStudent: true });
    expect(put.data).toEqual({ studentToStudent: true });
    expect((await as(ctx.school.adminToken).get('/api/settings/messaging')).data).toEqual({ studentToStudent: true });
    const entry = await tenant().selectFrom('activityLogs').select(['action', 'details']).where('targetType', '=', 'messaging-settings').executeTakeFirstOrThrow();
    expect(entry).toEqual({ action: 'update', details: { studentToStudent: true, previous: { studentToStudent: false } } });
    try {
      expect((await as(s.ana.token).post('/api/messages', text(s.cleo, 'Homework?'))).statusCode).toBe(201);
    } finally {
      await putSettings('/api/settings/messaging', ctx.school.adminToken, { studentToStudent: false });
    }
    expect((await as(s.ben.token).post('/api/messages', text(s.cleo, 'Homework?'))).statusCode).toBe(403);
  });

  it('answers 404 for an unknown, inactive or other institution\'s receiver', async () => {
    const leaver = await createMember(ctx.app, ctx.school, 'teacher');
    await tenant().updateTable('users').set({ isActive: false }).where('id', '=', leaver.id).execute();
    const before = await state();
    for (const receiverId of [randomUUID(), leaver.id]) {
      const response = await as(s.teacher.token).post('/api/messages', { receiverId, message: 'hello?' });
      expect(response.statusCode).toBe(404);
      expect(response.data).toEqual({ code: 'NOT_FOUND', message: 'Receiver not found' });
    }
    expect(await state()).toEqual(before);
  });
});

function putSettings(url: string, token: string, body: unknown) {
  return ctx.app.inject({ method: 'PUT', url, headers: { authorization: `Bearer ${token}` }, payload: body as Record<string, unknown> }).then((response) => {
    expect(response.statusCode, response.body).toBe(200);
    return { data: JSON.parse(response.body) as unknown };
  });
}

describe('replies', () => {
  it('quote a message of the same conversation, and only such a message', async () => {
    const [a, b] = await pair();
    const [, c] = await pair();
    const question = await send(a, text(b, `Which room? ${'.'.repeat(300)}`));
    const answer = await send(b, text(a, 'Room 12', { replyTo: question.id }));
    expect(answer.replyTo).toEqual({ id: question.id, senderId: a.id, messageType: 'text', message: `Which room? ${'.'.repeat(188)}`, durationSeconds: null, deletedAt: null });
    expect((await messageRow(answer.id)).replyToId).toBe(question.id);
    const elsewhere = await send(a, text(c, 'Other conversation'));
    const before = await state();
    for (const replyTo of [elsewhere.id, randomUUID()]) {
      const response = await as(b.token).post('/api/messages', text(a, 'x', { replyTo }));
      expect(response.statusCode).toBe(400);
      expect(response.data.details).toEqual([{ field: 'replyTo', message: 'is not a message of this conversation' }]);
    }
    expect(await state()).toEqual(before);
  });
});

describe('a conversation', () => {
  it('pages back in time with before, newest first', async () => {
    const [a, b] = await pair();
    const sent: string[] = [];
    for (let n = 1; n <= 7; n++) sent.push((await send(n % 2 ? a : b, text(n % 2 ? b : a, `message ${n}`))).id);
    const newestFirst = [...sent].reverse();
    const first = await as(a.token).get(`/api/messages/${b.id}?limit=3`);
    expect(first.statusCode, first.body).toBe(200);
    expectExactShape(ConversationPage, first.data);
    expect(first.data.items.map((m: { id: string }) => m.id)).toEqual(newestFirst.slice(0, 3));
    expect(first.data.nextBefore).toBe(newestFirst[2]);
    const second = await as(a.token).get(`/api/messages/${b.id}?limit=3&before=${first.data.nextBefore}`);
    expect(second.data.items.map((m: { id: string }) => m.id)).toEqual(newestFirst.slice(3, 6));
    const third = await as(a.token).get(`/api/messages/${b.id}?limit=3&before=${second.data.nextBefore}`);
    expect(third.data).toEqual({ items: [expect.objectContaining({ id: newestFirst[6], message: 'message 1' })], nextBefore: null });
    const whole = await as(b.token).get(`/api/messages/${a.id}`);
    expect(whole.data.items.map((m: { id: string }) => m.id)).toEqual(newestFirst);
    expect(whole.data.nextBefore).toBeNull();

    const [, c] = await pair();
    const other = await send(a, text(c, 'elsewhere'));
    const foreign = await as(a.token).get(`/api/messages/${b.id}?before=${other.id}`);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.data.details).toEqual([{ field: 'before', message: 'is not a message of this conversation' }]);
    expect((await as(a.token).get(`/api/messages/${b.id}?limit=101`)).statusCode).toBe(400);
  });

  it('answers 404 for someone who is no account here, 400 for oneself, and an empty page for someone new', async () => {
    const [a, b] = await pair();
    const unknown = await as(a.token).get(`/api/messages/${randomUUID()}`);
    expect({ status: unknown.statusCode, body: unknown.data }).toEqual({ status: 404, body: { code: 'NOT_FOUND', message: 'User not found' } });
    expect((await as(a.token).get(`/api/messages/${a.id}`)).statusCode).toBe(400);
    expect((await as(a.token).get(`/api/messages/${b.id}`)).data).toEqual({ items: [], nextBefore: null });
    expect((await as(a.token).get(`/api/messages/${ctx.school.admin.id}`)).data).toEqual({ items: [], nextBefore: null });
  });

  it('stays readable after the partner account is deleted', async () => {
    const a = await createMember(ctx.app, ctx.school, 'teacher');
    const gone = await createMember(ctx.app, ctx.school, 'teacher');
    const hello = await send(gone, text(a, 'Goodbye, I am leaving'));
    expect((await as(ctx.school.adminToken).delete(`/api/users/${gone.id}`)).statusCode).toBe(200);
    const page = await as(a.token).get(`/api/messages/${gone.id}`);
    expect(page.data.items.map((m: { id: string }) => m.id)).toEqual([hello.id]);
    const list = await as(a.token).get('/api/conversations');
    expect(list.data.items[0].partner).toEqual({ id: gone.id, name: null, role: null });
  });
});

describe('read marks', () => {
  it('opening a conversation marks the other side\'s messages read and tells both sides', async () => {
    const [a, b] = await pair();
    const one = await send(a, text(b, 'one'));
    const two = await send(a, text(b, 'two'));
    const mine = await send(b, text(a, 'mine'));
    expect((await as(b.token).get('/api/messages/unread-count')).data).toEqual({ unreadCount: 2 });
    expect((await as(a.token).get('/api/messages/unread-count')).data).toEqual({ unreadCount: 1 });

    const opened = await as(b.token).get(`/api/messages/${a.id}`);
    expect(opened.data.items.map((m: { id: string; readAt: string | null }) => [m.id, m.readAt !== null])).toEqual([
      [mine.id, false],
      [two.id, true],
      [one.id, true],
    ]);
    expect((await as(b.token).get('/api/messages/unread-count')).data).toEqual({ unreadCount: 0 });
    expect((await as(a.token).get('/api/messages/unread-count')).data).toEqual({ unreadCount: 1 });
    const read = { type: 'message.read', data: { readerId: b.id, partnerId: a.id, upTo: two.id } };
    expect((await eventsFor(a.id)).at(-1)).toEqual(read);
    expect((await eventsFor(b.id)).at(-1)).toEqual(read);
    expect((await logs(a.id)).filter((entry) => entry.action === 'read')).toEqual([{ action: 'read', targetType: 'conversation', userId: b.id, details: { count: 2, upTo: two.id } }]);

    const eventsBefore = (await eventsFor(a.id)).length;
    await as(b.token).get(`/api/messages/${a.id}`);
    expect(await eventsFor(a.id)).toHaveLength(eventsBefore);
    expect((await logs(a.id)).filter((entry) => entry.action === 'read')).toHaveLength(1);
  });

  it('POST read marks up to the given message only', async () => {
    const [a, b] = await pair();
    const ids = [];
    for (const word of ['first', 'second', 'third']) ids.push((await send(a, text(b, word))).id);
    const response = await as(b.token).post(`/api/messages/${a.id}/read`, { upTo: ids[1] });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.data).toEqual({ markedRead: 2, unreadCount: 1 });
    const rows = await tenant().selectFrom('messages').select(['id', 'readAt']).where('id', 'in', ids).execute();
    expect(Object.fromEntries(rows.map((row) => [row.id, row.readAt !== null]))).toEqual({ [ids[0]!]: true, [ids[1]!]: true, [ids[2]!]: false });
    expect((await as(b.token).post(`/api/messages/${a.id}/read`, { upTo: ids[1] })).data).toEqual({ markedRead: 0, unreadCount: 1 });
    const foreign = await as(b.token).post(`/api/messages/${a.id}/read`, { upTo: randomUUID() });
    expect(foreign.statusCode).toBe(400);
    expect((await as(b.token).post(`/api/messages/${randomUUID()}/read`, { upTo: ids[2] })).statusCode).toBe(404);
    // The sender's own messages are not theirs to mark read.
    expect((await as(a.token).post(`/api/messages/${b.id}/read`, { upTo: ids[2] })).data).toEqual({ markedRead: 0, unreadCount: 0 });
  });
});

describe('the conversation list', () => {
  it('has one row per partner, most recent first, with the last message, unread count and partner', async () => {
    const me = await createMember(ctx.app, ctx.school, 'teacher');
    const [x, y] = await pair();
    await send(x, text(me, 'from x 1'));
    await send(me, text(y, 'to y'));
    await send(x, text(me, 'from x 2'));
    const fromAdmin = await send(admin(), text(me, 'staff meeting at 3'));
    const list = await as(me.token).get('/api/conversations');
    expect(list.statusCode, list.body).toBe(200);
    expectExactShape(ConversationList, list.data);
    expect(list.data).toEqual({
      items: [
        {
          partner: { id: ctx.school.admin.id, name: ctx.school.admin.name, role: 'admin' },
          lastMessage: {
            id: fromAdmin.id,
            senderId: ctx.school.admin.id,
            messageType: 'text',
            message: 'staff meeting at 3',
            durationSeconds: null,
            readAt: null,
            deletedAt: null,
            createdAt: instant(fromAdmin.createdAt),
          },
          unreadCount: 1,
        },
        { partner: { id: x.id, name: x.name, role: 'teacher' }, lastMessage: expect.objectContaining({ message: 'from x 2' }), unreadCount: 2 },
        { partner: { id: y.id, name: y.name, role: 'teacher' }, lastMessage: expect.objectContaining({ message: 'to y', senderId: me.id }), unreadCount: 0 },
      ],
      total: 3,
      page: 1,
      limit: 50,
    });
    expect((await as(ctx.school.adminToken).get('/api/conversations')).data.items).toContainEqual(
      expect.objectContaining({ partner: { id: me.id, name: me.name, role: 'teacher' }, unreadCount: 0 }),
    );
    const second = await as(me.token).get('/api/conversations?limit=2&page=2');
    expect(second.data.items.map((row: { partner: { id: string } }) => row.partner.id)).toEqual([y.id]);
  });

  it('keeps GET /api/messages/unread-count apart from GET /api/messages/:userId', async () => {
    const response = await as(s.teacher.token).get('/api/messages/unread-count');
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.data)).toEqual(['unreadCount']);
  });
});

describe('deleting', () => {
  it('lets the sender delete within 15 minutes: the row stays as "message deleted", both sides hear of it', async () => {
    const [a, b] = await pair();
    const message = await send(a, text(b, 'oops, wrong chat'));
    const reply = await send(b, text(a, 'what?', { replyTo: message.id }));
    const response = await as(a.token).delete(`/api/messages/${message.id}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.data).toEqual({ ...message, message: null, deletedAt: expect.any(String) });
    expect(await messageRow(message.id)).toMatchObject({ body: null, fileId: null, deletedAt: expect.any(String), deletedBy: a.id });
    const deleted = { type: 'message.deleted', data: { messageId: message.id, senderId: a.id, receiverId: b.id } };
    expect((await eventsFor(a.id)).at(-1)).toEqual(deleted);
    expect((await eventsFor(b.id)).at(-1)).toEqual(deleted);
    expect((await logs(message.id)).at(-1)).toEqual({
      action: 'delete',
      targetType: 'message',
      userId: a.id,
      details: { senderId: a.id, receiverId: b.id, messageType: 'text', bySender: true, deletedFileIds: [] },
    });
    expect((await as(b.token).get('/api/messages/unread-count')).data).toEqual({ unreadCount: 0 });
    const page = await as(b.token).get(`/api/messages/${a.id}`);
    expect(page.data.items[0]).toMatchObject({ id: reply.id, replyTo: { id: message.id, message: null, deletedAt: expect.any(String) } });
    expect(page.data.items[1]).toMatchObject({ id: message.id, message: null, deletedAt: expect.any(String) });
    const again = await as(a.token).delete(`/api/messages/${message.id}`);
    expect(again.data).toEqual(response.data);
  });

  it('refuses the sender after 15 minutes and the receiver always; a stranger gets 404; admins delete any, logged', async () => {
    const [a, b] = await pair();
    const [stranger] = await pair();
    const old = await send(a, text(b, 'from long ago'));
    await tenant().updateTable('messages').set({ createdAt: sql`now() - interval '16 minutes'` } as never).where('id', '=', old.id).execute();
    const before = await state();
    const late = await as(a.token).delete(`/api/messages/${old.id}`);
    expect({ status: late.statusCode, body: late.data }).toEqual({
      status: 403,
      body: { code: 'FORBIDDEN', message: 'Messages can be deleted only within 15 minutes of sending' },
    });
    expect((await as(b.token).delete(`/api/messages/${old.id}`)).data).toEqual({ code: 'FORBIDDEN', message: 'Only the sender or an admin can delete a message' });
    for (const url of [`/api/messages/${old.id}`, `/api/messages/${randomUUID()}`]) {
      expect((await as(stranger.token).delete(url)).data).toEqual({ code: 'NOT_FOUND', message: 'Message not found' });
    }
    expect(await state()).toEqual(before);
    const removed = await as(ctx.school.adminToken).delete(`/api/messages/${old.id}`);
    expect(removed.statusCode).toBe(200);
    expect(await messageRow(old.id)).toMatchObject({ body: null, deletedBy: ctx.school.admin.id });
    expect((await logs(old.id)).at(-1)).toEqual({
      action: 'delete',
      targetType: 'message',
      userId: ctx.school.admin.id,
      details: { senderId: a.id, receiverId: b.id, messageType: 'text', bySender: false, deletedFileIds: [] },
    });
  });
});

describe('voice messages', () => {
  it('carry the sender\'s uploaded audio, which sender and receiver may download and nobody else', async () => {
    const [a, b] = await pair();
    const [stranger] = await pair();
    const [ogg] = await uploadIds(ctx.app, a.token, [{ name: 'voice.ogg', content: SAMPLES.ogg }]);
    const message = await send(a, { receiverId: b.id, messageType: 'audio', fileId: ogg, durationSeconds: 4.5 });
    expect(message).toMatchObject({
      messageType: 'audio',
      message: null,
      file: { id: ogg, name: 'voice.ogg', size: SAMPLES.ogg.length, contentType: 'audio/ogg' },
      durationSeconds: 4.5,
    });
    for (const [who, status] of [[a, 200], [b, 200], [stranger, 404]] as const) {
      const download = await as(who.token).get(`/api/files/${ogg}`);
      expect(download.statusCode, `${who.username} ${download.body.slice(0, 100)}`).toBe(status);
      if (status === 200) expect(download.rawPayload).toEqual(SAMPLES.ogg);
    }
    const quote = await send(b, text(a, 'Got it', { replyTo: message.id }));
    expect(quote.replyTo).toEqual({ id: message.id, senderId: a.id, messageType: 'audio', message: null, durationSeconds: 4.5, deletedAt: null });
  });

  it('refuse a file that is not audio or not the sender\'s own', async () => {
    const [a, b] = await pair();
    const [pdf] = await uploadIds(ctx.app, a.token, [{ name: 'notes.txt', content: SAMPLES.txt }]);
    const [othersMp3] = await uploadIds(ctx.app, b.token, [{ name: 'song.mp3', content: SAMPLES.mp3 }]);
    const before = await state();
    const notAudio = await as(a.token).post('/api/messages', { receiverId: b.id, messageType: 'audio', fileId: pdf });
    expect(notAudio.statusCode).toBe(400);
    expect(notAudio.data.details).toEqual([{ field: 'fileId', message: 'must be an audio file (mp3, wav, webm or ogg)' }]);
    const notOwn = await as(a.token).post('/api/messages', { receiverId: b.id, messageType: 'audio', fileId: othersMp3 });
    expect(notOwn.statusCode).toBe(400);
    expect(notOwn.data.details).toEqual([{ field: 'fileId', message: `the file ${othersMp3} does not exist or was not uploaded by you` }]);
    expect(await state()).toEqual(before);
  });

  it('lose their file when deleted: the file row and bytes go when nothing else holds them', async () => {
    const [a, b] = await pair();
    const [mp3] = await uploadIds(ctx.app, a.token, [{ name: 'memo.mp3', content: SAMPLES.mp3 }]);
    const message = await send(a, { receiverId: b.id, messageType: 'audio', fileId: mp3 });
    const stored = () => localFiles(ctx.app.config.dataDir).filter((file) => file.endsWith(mp3!));
    expect(stored()).toHaveLength(1);
    const response = await as(a.token).delete(`/api/messages/${message.id}`);
    expect(response.data).toMatchObject({ file: null, durationSeconds: null, deletedAt: expect.any(String) });
    expect(await tenant().selectFrom('files').select('id').where('id', '=', mp3!).execute()).toEqual([]);
    expect(stored()).toEqual([]);
    expect((await logs(message.id)).at(-1)?.details).toMatchObject({ messageType: 'audio', deletedFileIds: [mp3] });
  });
});
