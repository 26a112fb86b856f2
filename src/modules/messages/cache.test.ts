import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, DATABASE_URL, expectExactShape, registerInstitution, testConfig, type TestInstitution, type TestUser, useSchool } from '../../../test/helpers.js';
import { silently, settle } from '../../../test/quiet-changes.js';
import { buildApp } from '../../app.js';
import { jsonPageBody } from '../../db/json-page.js';
import { tenantDb } from '../../db/tenant-schema.js';
import * as queries from './queries.js';
import { ConversationList, UnreadCount } from './schemas.js';

/**
 * Two API instances on one database, as behind a load balancer: changes go through `first`, and
 * `second` answers GET /api/conversations and GET /api/messages/unread-count from its cache until
 * the database's notifications evict what they changed.
 */
const ctx = useSchool({ FILE_SWEEP_INTERVAL_MS: '0' });
let second: FastifyInstance;
beforeAll(async () => {
  second = await buildApp({ config: testConfig({ FILE_SWEEP_INTERVAL_MS: '0' }), database: ctx.test.database });
  await second.ready();
});
afterAll(() => second.close());

type Body = Record<string, any>;
interface Answers {
  list: Body;
  unread: Body;
}

/** A school of its own per test, so no other test's notifications evict its answers. */
async function freshSchool(): Promise<{ school: TestInstitution; people: TestUser[] }> {
  const school = await registerInstitution(ctx.app);
  const people: TestUser[] = [];
  for (let i = 0; i < 4; i++) people.push(await createMember(ctx.app, school, 'teacher'));
  return { school, people };
}

async function ok(app: FastifyInstance, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, body?: unknown) {
  const response = await call(app, method, url, { token, body });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.data;
}

const sendThrough = (app: FastifyInstance, from: TestUser, to: TestUser, message: string) => ok(app, 'POST', '/api/messages', from.token, { receiverId: to.id, message });

async function answers(app: FastifyInstance, user: TestUser): Promise<Answers> {
  const list = await call(app, 'GET', '/api/conversations', { token: user.token });
  const unread = await call(app, 'GET', '/api/messages/unread-count', { token: user.token });
  expect([list.statusCode, unread.statusCode], list.body + unread.body).toEqual([200, 200]);
  expectExactShape(ConversationList, list.data);
  expectExactShape(UnreadCount, unread.data);
  return { list: list.data, unread: unread.data };
}

/** The answers as the database gives them now, uncached. */
async function truth(school: TestInstitution, user: TestUser): Promise<Answers> {
  const db = tenantDb(ctx.app.db, school.schemaName);
  const window = { page: 1, limit: 50 };
  const page = await queries.conversationPages(db, { userId: user.id }, window);
  return { list: JSON.parse(jsonPageBody(page, window)) as Body, unread: { unreadCount: await queries.unreadTotal(db, user.id) } };
}

/** Reads `second` until it answers what the database holds (notifications arrive on their own time). */
async function eventually(school: TestInstitution, user: TestUser): Promise<Answers> {
  const expected = await truth(school, user);
  let last = await answers(second, user);
  for (let attempt = 0; attempt < 150 && JSON.stringify(last) !== JSON.stringify(expected); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    last = await answers(second, user);
  }
  expect(last).toEqual(expected);
  return last;
}

/** A change every cached answer of `user` would show, were it read again. */
const quietUnread = (school: TestInstitution, user: TestUser) =>
  silently(ctx.app.db, school.schemaName, (db) => db.updateTable('conversations').set({ unreadCount: 42 }).where('userId', '=', user.id).execute());

describe('conversation lists and unread counts, cached across instances', () => {
  it('are served from memory: a change the database keeps quiet about is not seen', async () => {
    const { school, people } = await freshSchool();
    const [a, b] = people as [TestUser, TestUser];
    await sendThrough(ctx.app, a, b, 'Hello');
    await settle();
    const before = await eventually(school, b);
    expect(before.unread).toEqual({ unreadCount: 1 });
    await quietUnread(school, b);
    expect(await answers(second, b)).toEqual(before);
    expect((await truth(school, b)).unread).toEqual({ unreadCount: 42 });
  });

  it('show what the other instance changed: a send on both sides, a read mark, a deletion, a rename and a deleted partner', async () => {
    const { school, people } = await freshSchool();
    const [a, b] = people as [TestUser, TestUser];
    await answers(second, a);
    await answers(second, b);

    const hello = await sendThrough(ctx.app, a, b, 'Hello');
    expect((await eventually(school, a)).list.items.map((row: Body) => row.lastMessage.message)).toEqual(['Hello']);
    expect((await eventually(school, b)).unread).toEqual({ unreadCount: 1 });

    // b reads: b's count drops, a's list shows the message read.
    await ok(ctx.app, 'POST', `/api/messages/${a.id}/read`, b.token, { upTo: hello.id });
    expect((await eventually(school, b)).unread).toEqual({ unreadCount: 0 });
    expect((await eventually(school, a)).list.items[0].lastMessage.readAt).toEqual(expect.any(String));

    const second_ = await sendThrough(ctx.app, a, b, 'Oops');
    await eventually(school, b);
    await ok(ctx.app, 'DELETE', `/api/messages/${second_.id}`, a.token);
    expect((await eventually(school, b)).list.items[0].lastMessage).toMatchObject({ id: second_.id, message: null, deletedAt: expect.any(String) });
    expect((await eventually(school, a)).list.items[0].lastMessage.deletedAt).toEqual(expect.any(String));

    await ok(ctx.app, 'PATCH', `/api/users/${a.id}`, school.adminToken, { name: 'Renamed Sender' });
    expect((await eventually(school, b)).list.items[0].partner).toEqual({ id: a.id, name: 'Renamed Sender', role: 'teacher' });

    await tenantDb(ctx.app.db, school.schemaName).deleteFrom('users').where('id', '=', a.id).execute();
    expect((await eventually(school, b)).list.items[0].partner).toEqual({ id: a.id, name: null, role: null });
  });

  it('are evicted only for the people a change touches, and not by opening a conversation with nothing to mark', async () => {
    const { school, people } = await freshSchool();
    const [a, b, c, d] = people as [TestUser, TestUser, TestUser, TestUser];
    await sendThrough(ctx.app, a, b, 'To b');
    await sendThrough(ctx.app, c, d, 'To d');
    await settle();
    for (const user of [a, b, c, d]) await eventually(school, user);
    await quietUnread(school, d);
    const dBefore = await answers(second, d);
    // Opening a conversation with nothing unread marks nothing: a's answers stay.
    await silently(ctx.app.db, school.schemaName, (db) => db.updateTable('messages').set({ body: 'Quiet' }).where('senderId', '=', a.id).execute());
    const aBefore = await answers(second, a);
    await ok(ctx.app, 'GET', `/api/messages/${b.id}`, a.token);
    await settle();
    expect(await answers(second, a)).toEqual(aBefore);

    await sendThrough(ctx.app, b, a, 'Back to a');
    expect((await eventually(school, a)).unread).toEqual({ unreadCount: 1 });
    expect((await eventually(school, b)).list.items[0].lastMessage.message).toBe('Back to a');
    expect(await answers(second, d)).toEqual(dBefore);
  });

  it("show the instance's own writes at once, before any notification", async () => {
    const { people } = await freshSchool();
    const [a, b] = people as [TestUser, TestUser];
    expect((await answers(second, a)).list.items).toEqual([]);
    await sendThrough(second, a, b, 'Right away');
    expect((await answers(second, a)).list.items.map((row: Body) => row.lastMessage.message)).toEqual(['Right away']);
  });

  it.skipIf(!DATABASE_URL)('are never served stale across a lost listener: read uncached while it is down, cached afresh once it is back', async () => {
    const { school, people } = await freshSchool();
    const [a, b] = people as [TestUser, TestUser];
    await sendThrough(ctx.app, a, b, 'Hello');
    await settle();
    await eventually(school, b);
    const killer = new pg.Client({ connectionString: ctx.test.database.url });
    await killer.connect();
    const killed = await killer.query(`select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = current_database() and query ilike 'listen "crm_conversations_changed"'`);
    await killer.end();
    expect(killed.rows.length).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await quietUnread(school, b);
    // Read uncached meanwhile, or once the listener is back (it reconnects within a few seconds).
    expect((await answers(second, b)).unread).toEqual({ unreadCount: 42 });
  });
});
