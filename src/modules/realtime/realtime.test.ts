import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../app.js';
import { tenantDb } from '../../db/tenant-schema.js';
import { createTokenService } from '../../lib/tokens.js';
import { call, createMember, DATABASE_URL, expectErrorShape, registerInstitution, testConfig, type TestUser, useSchool } from '../../../test/helpers.js';
import { LiveSocket } from './live-socket.js';
import { publishEvent } from './publish.js';
import { deleteOldEvents } from './queries.js';

// Pings rarely here: the clients run in this process, which PGlite's writes can stall for longer
// than a short heartbeat; the heartbeat test has an instance of its own.
const SETTINGS = { REALTIME_HEARTBEAT_MS: '10000', REALTIME_MAX_BUFFERED_BYTES: '65536', REALTIME_MAX_PAYLOAD_BYTES: '4096' };
const ctx = useSchool(SETTINGS);

interface Frame {
  type: string;
  cursor?: number;
  id?: string;
  code?: string;
  data?: Record<string, unknown>;
}

/** A WebSocket client that keeps every frame and its close code. */
class Client {
  readonly frames: Frame[] = [];
  closed: { code: number; reason: string } | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.#wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
  }

  #wake() {
    for (const waiter of [...this.#waiters]) waiter();
  }

  get events(): Frame[] {
    return this.frames.filter((frame) => frame.id !== undefined);
  }

  /** Resolves once `check` holds, checked after every frame and close. */
  async until(check: (client: Client) => boolean, what: string, timeoutMs = 5000): Promise<void> {
    if (check(this)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(wake);
        reject(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames).slice(0, 500)}, closed: ${JSON.stringify(this.closed)}`));
      }, timeoutMs);
      const wake = () => {
        if (!check(this)) return;
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      this.#waiters.add(wake);
    });
  }

  untilEvents(count: number) {
    return this.until((client) => client.events.length >= count, `${count} events`);
  }

  untilClosed() {
    return this.until((client) => client.closed !== undefined, 'the close');
  }

  send(text: string | Buffer) {
    this.ws.send(text);
  }

  close() {
    this.ws.terminate();
  }
}

function socketUrl(app: FastifyInstance, query = '') {
  return `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/ws${query}`;
}

/** Opens a socket with the token as a subprotocol; resolves after the hello frame. */
async function connect(token: string, query = '', app = ctx.app): Promise<Client> {
  const ws = new WebSocket(socketUrl(app, query), ['bearer', token]);
  const client = new Client(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_request, response) => reject(new Error(`refused: ${response.statusCode}`)));
    ws.once('error', reject);
  });
  await client.until((c) => c.frames.some((frame) => frame.type === 'hello'), 'hello');
  return client;
}

/** The answer to an upgrade the server refuses, as status and parsed body. */
function refusal(protocols: string[] | undefined, query = '', headers: Record<string, string> = {}) {
  return new Promise<{ statusCode: number; body: string }>((resolve, reject) => {
    const ws = new WebSocket(socketUrl(ctx.app, query), protocols, { headers });
    ws.once('open', () => reject(new Error('the socket opened')));
    ws.once('error', () => undefined);
    ws.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, body }));
    });
  });
}

const publish = (recipients: string[], type = 'message.created', data: Record<string, unknown> = {}, app = ctx.app) =>
  app.db.transaction().execute((trx) => publishEvent(tenantDb(trx, ctx.school.schemaName), { type, recipients, data }));

let alice: TestUser;
let bob: TestUser;
const clients: Client[] = [];
const track = (client: Client) => (clients.push(client), client);

beforeAll(async () => {
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  alice = await createMember(ctx.app, ctx.school, 'student');
  bob = await createMember(ctx.app, ctx.school, 'teacher');
});
afterAll(() => {
  for (const client of clients) client.close();
});

describe('opening a socket', () => {
  it('accepts the bearer subprotocol, says hello with the current cursor, and sends the account its own events only', async () => {
    const client = track(await connect(alice.token));
    expect(client.ws.protocol).toBe('bearer');
    const hello = client.frames[0]!;
    expect(hello).toEqual({ type: 'hello', cursor: expect.any(Number) });
    await publish([bob.id], 'message.created', { messageId: 'not-for-alice' });
    await publish([alice.id], 'message.created', { messageId: 'm1' });
    await client.untilEvents(1);
    const row = await tenantDb(ctx.app.db, ctx.school.schemaName).selectFrom('events').select(['id', 'cursor']).where('userId', '=', alice.id).orderBy('cursor', 'desc').executeTakeFirstOrThrow();
    expect(client.events).toEqual([{ id: row.id, cursor: Number(row.cursor), type: 'message.created', data: { messageId: 'm1' } }]);
    expect(client.events[0]!.cursor).toBeGreaterThan(hello.cursor!);
  });

  it('refuses a missing, malformed or forged token with 401 in the one error shape, before upgrading', async () => {
    for (const protocols of [undefined, ['bearer'], ['bearer', 'not.a.token'], ['bearer', `${alice.token}x`], ['token', alice.token]]) {
      const answer = await refusal(protocols);
      expect(answer.statusCode, JSON.stringify(protocols)).toBe(401);
      expectErrorShape(answer);
      expect(JSON.parse(answer.body).code).toBe('UNAUTHORIZED');
    }
  });

  it('never takes a token from the URL', async () => {
    const answer = await refusal(undefined, `?token=${alice.token}`);
    expect(answer.statusCode).toBe(401);
  });

  it('answers a plain GET with 426 in the one error shape', async () => {
    const response = await call(ctx.app, 'GET', '/api/ws', { token: alice.token });
    expect(response.statusCode).toBe(426);
    expectErrorShape(response);
    expect(response.data.code).toBe('UPGRADE_REQUIRED');
  });
});

describe('resuming', () => {
  it('sends every event missed while away, in order, then live ones, with nothing twice', async () => {
    const first = await connect(alice.token);
    await publish([alice.id], 'message.created', { n: 1 });
    await first.untilEvents(1);
    const seen = first.events.at(-1)!.cursor!;
    first.close();
    await publish([alice.id], 'message.created', { n: 2 });
    await publish([alice.id, bob.id], 'message.read', { n: 3 });
    const again = track(await connect(alice.token, `?since=${seen}`));
    await again.untilEvents(2);
    await publish([alice.id], 'message.deleted', { n: 4 });
    await again.untilEvents(3);
    expect(again.events.map(({ type, data }) => ({ type, data }))).toEqual([
      { type: 'message.created', data: { n: 2 } },
      { type: 'message.read', data: { n: 3 } },
      { type: 'message.deleted', data: { n: 4 } },
    ]);
  });

  it('loses and repeats nothing when events keep coming while it catches up', async () => {
    const probe = await connect(bob.token);
    const start = probe.frames[0]!.cursor!;
    probe.close();
    const writes = Array.from({ length: 40 }, (_, n) => publish([bob.id], 'message.created', { n }));
    const client = track(await connect(bob.token, `?since=${start}`));
    await Promise.all(writes);
    await client.untilEvents(40);
    const rows = await tenantDb(ctx.app.db, ctx.school.schemaName).selectFrom('events').select('cursor').where('userId', '=', bob.id).where('cursor', '>', String(start)).orderBy('cursor').execute();
    expect(client.events.map((event) => event.cursor)).toEqual(rows.map((row) => Number(row.cursor)));
  });

  it('takes a resume frame on an open socket', async () => {
    const client = track(await connect(alice.token));
    const from = client.frames[0]!.cursor!;
    await publish([alice.id], 'calendar.changed', { n: 5 });
    await client.untilEvents(1);
    client.send(JSON.stringify({ type: 'resume', since: from }));
    await client.untilEvents(2);
    await publish([alice.id], 'calendar.changed', { n: 6 });
    await client.untilEvents(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.events.map((event) => event.data)).toEqual([{ n: 5 }, { n: 5 }, { n: 6 }]);
  });
});

describe('ended sessions', () => {
  it('closes with 4401 on logout, and every socket of the account', async () => {
    const member = await createMember(ctx.app, ctx.school, 'student');
    const [one, two] = [await connect(member.token), await connect(member.token)];
    const other = track(await connect(alice.token));
    expect((await call(ctx.app, 'POST', '/api/auth/logout', { token: member.token })).statusCode).toBeLessThan(300);
    await Promise.all([one.untilClosed(), two.untilClosed()]);
    expect([one.closed!.code, two.closed!.code]).toEqual([4401, 4401]);
    expect(other.closed).toBeUndefined();
  });

  it('closes with 4401 when an admin deactivates the account', async () => {
    const member = await createMember(ctx.app, ctx.school, 'teacher');
    const client = await connect(member.token);
    expect((await call(ctx.app, 'PATCH', `/api/users/${member.id}`, { token: ctx.school.adminToken, body: { isActive: false } })).statusCode).toBe(200);
    await client.untilClosed();
    expect(client.closed!.code).toBe(4401);
  });

  it('closes with 4401 when the token expires', async () => {
    const shortLived = createTokenService({ ...ctx.app.config.jwt, expiresInSeconds: 1 });
    const claims = ctx.app.tokens.verify(alice.token)!;
    const client = await connect(shortLived.sign({ sub: claims.sub, iid: claims.iid, role: claims.role, ver: claims.ver }));
    await client.until((c) => c.closed !== undefined, 'the close', 3000);
    expect(client.closed).toEqual({ code: 4401, reason: 'token expired' });
  });
});

describe('frames from the client', () => {
  it('answers garbage and unknown frames with an error frame and keeps the socket', async () => {
    const client = track(await connect(alice.token));
    client.send('not json');
    client.send('[1,2]');
    client.send(JSON.stringify({ type: 'dance' }));
    client.send(JSON.stringify({ type: 'resume', since: 'yesterday' }));
    client.send(Buffer.from([0, 1, 2]));
    await client.until((c) => c.frames.filter((frame) => frame.type === 'error').length === 5, 'five error frames');
    expect(client.frames.filter((frame) => frame.type === 'error').map((frame) => frame.code)).toEqual(['BAD_FRAME', 'BAD_FRAME', 'UNKNOWN_FRAME', 'BAD_FRAME', 'BAD_FRAME']);
    await publish([alice.id]);
    await client.untilEvents(1);
    expect(client.closed).toBeUndefined();
  });

  it('closes a socket that sends a frame over the limit with 1009, and keeps serving others', async () => {
    const client = await connect(alice.token);
    const other = track(await connect(alice.token));
    client.send('x'.repeat(8192));
    await client.untilClosed();
    expect(client.closed!.code).toBe(1009);
    await publish([alice.id]);
    await other.untilEvents(1);
  });
});

describe('dead and slow clients', () => {
  it('cuts off a client that does not read once its buffer passes the bound; the others get every event', async () => {
    const slow = await connect(alice.token);
    const reader = track(await connect(bob.token));
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // The kernel's socket buffers take a few MB before anything waits in the server; one
    // transaction, so they all arrive in one read, faster than the heartbeat could notice.
    const padding = 'x'.repeat(200_000);
    await ctx.app.db.transaction().execute(async (trx) => {
      for (let n = 0; n < 80; n += 1) {
        await publishEvent(tenantDb(trx, ctx.school.schemaName), { type: 'message.created', recipients: [alice.id], data: { n, padding } });
        await publishEvent(tenantDb(trx, ctx.school.schemaName), { type: 'message.created', recipients: [bob.id], data: { n } });
      }
    });
    await reader.untilEvents(80);
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    await slow.untilClosed();
    expect(slow.events.length).toBeLessThan(80);
    expect(reader.closed).toBeUndefined();
  });
});

describe('heartbeats', () => {
  let pinging: FastifyInstance;
  beforeAll(async () => {
    pinging = await buildApp({ config: testConfig({ ...SETTINGS, REALTIME_HEARTBEAT_MS: '200' }), database: ctx.test.database });
    await pinging.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => pinging.close());

  it('close a socket that stops answering pings, and keep one that answers', async () => {
    const dead = await connect(alice.token, '', pinging);
    const healthy = track(await connect(alice.token, '', pinging));
    const raw = (dead.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    await new Promise((resolve) => setTimeout(resolve, 700));
    raw.resume();
    await dead.untilClosed();
    expect(dead.closed!.code).toBe(1006);
    expect(healthy.closed).toBeUndefined();
  });
});

describe('a socket whose client does not read', () => {
  it('is cut off once its unsent frames pass the bound, and sent nothing more', () => {
    const sent: string[] = [];
    let terminated = false;
    const socket = { OPEN: 1, readyState: 1, bufferedAmount: 0, send: (text: string) => sent.push(text), terminate: () => (terminated = true) };
    const live = new LiveSocket(socket as never, { sub: alice.id, iid: ctx.school.id, role: 'student', ver: 0, exp: 0 }, ctx.school.schemaName, 1000);
    live.send({ type: 'hello', cursor: 0 });
    socket.bufferedAmount = 1000;
    live.send({ type: 'hello', cursor: 1 });
    expect([sent.length, terminated]).toEqual([2, false]);
    socket.bufferedAmount = 1001;
    live.send({ type: 'hello', cursor: 2 });
    expect([sent.length, terminated]).toEqual([2, true]);
  });
});

describe('several instances', () => {
  let second: FastifyInstance;
  beforeAll(async () => {
    second = await buildApp({ config: testConfig(SETTINGS), database: ctx.test.database });
    await second.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => second.close());

  it('delivers an event written through one instance to a socket on another', async () => {
    const onSecond = track(await connect(alice.token, '', second));
    await publish([alice.id], 'message.created', { via: 'first' });
    await onSecond.untilEvents(1);
    expect(onSecond.events.map((event) => event.data)).toEqual([{ via: 'first' }]);
  });

  it('delivers a message sent through POST /api/messages on one instance to the receiver\'s socket on another, ids only', async () => {
    const onSecond = track(await connect(alice.token, '', second));
    const sent = await call(ctx.app, 'POST', '/api/messages', { token: bob.token, body: { receiverId: alice.id, message: 'Homework is on page 12' } });
    expect(sent.statusCode, sent.body).toBe(201);
    await onSecond.untilEvents(1);
    expect(onSecond.events.map(({ type, data }) => ({ type, data }))).toEqual([
      { type: 'message.created', data: { messageId: sent.data.id, senderId: bob.id, receiverId: alice.id } },
    ]);
    expect(JSON.stringify(onSecond.frames)).not.toContain('Homework');
  });

  it('resumes on a freshly started instance with every event missed meanwhile: nothing is lost across a restart', async () => {
    const before = await connect(alice.token);
    await publish([alice.id], 'message.created', { n: 'seen' });
    await before.untilEvents(1);
    const seen = before.events.at(-1)!.cursor!;
    before.close();
    await publish([alice.id], 'message.created', { n: 'while away' });
    await publish([alice.id], 'message.deleted', { n: 'also while away' });
    const restarted = await buildApp({ config: testConfig(SETTINGS), database: ctx.test.database });
    await restarted.listen({ port: 0, host: '127.0.0.1' });
    try {
      const after = await connect(alice.token, `?since=${seen}`, restarted);
      await after.untilEvents(2);
      await publish([alice.id], 'message.read', { n: 'live' });
      await after.untilEvents(3);
      expect(after.events.map(({ type, data }) => ({ type, data }))).toEqual([
        { type: 'message.created', data: { n: 'while away' } },
        { type: 'message.deleted', data: { n: 'also while away' } },
        { type: 'message.read', data: { n: 'live' } },
      ]);
      after.close();
    } finally {
      await restarted.close();
    }
  });

  it('closes a socket on another instance when the session ends through the first', async () => {
    const member = await createMember(ctx.app, ctx.school, 'student');
    const onSecond = await connect(member.token, '', second);
    await call(ctx.app, 'POST', '/api/auth/logout', { token: member.token });
    await onSecond.untilClosed();
    expect(onSecond.closed!.code).toBe(4401);
  });

  it('sends timetable.changed to the teacher and students when a lesson is created through the API', async () => {
    const db = tenantDb(ctx.app.db, ctx.school.schemaName);
    const classId = (await db.insertInto('classes').values({ name: '7C', grade: 7, section: 'C' }).returning('id').executeTakeFirstOrThrow()).id;
    const subjectId = (await db.insertInto('subjects').values({ name: 'Music' }).returning('id').executeTakeFirstOrThrow()).id;
    const student = await createMember(ctx.app, ctx.school, 'student');
    await db.insertInto('enrollments').values({ studentId: student.id, classId }).execute();
    const [teacherSocket, studentSocket, bystander] = [await connect(bob.token, '', second), await connect(student.token, '', second), track(await connect(alice.token, '', second))];
    const created = await call(ctx.app, 'POST', '/api/schedules', { token: ctx.school.adminToken, body: { classId, subjectId, teacherId: bob.id, day: 'tuesday', period: 3 } });
    expect(created.statusCode, created.body).toBe(201);
    await Promise.all([teacherSocket.untilEvents(1), studentSocket.untilEvents(1)]);
    expect(teacherSocket.events.map((event) => event.type)).toEqual(['timetable.changed']);
    expect(studentSocket.events.map((event) => event.type)).toEqual(['timetable.changed']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bystander.events).toEqual([]);
    teacherSocket.close();
    studentSocket.close();
  });
});

describe.skipIf(!DATABASE_URL)('while the listener is down (PostgreSQL)', () => {
  it('loses nothing: events written meanwhile arrive by polling or once it is back, in order', async () => {
    const client = track(await connect(alice.token));
    const killer = new pg.Client({ connectionString: ctx.test.database.url });
    await killer.connect();
    const killed = await killer.query(`select pg_terminate_backend(pid) as ended from pg_stat_activity where datname = current_database() and query ilike 'listen "crm_events"'`);
    await killer.end();
    expect(killed.rows).toEqual([{ ended: true }]);
    await publish([alice.id], 'message.created', { n: 'while down' });
    await client.untilEvents(1);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await publish([alice.id], 'message.created', { n: 'after' });
    await client.untilEvents(2);
    expect(client.events.map((event) => event.data)).toEqual([{ n: 'while down' }, { n: 'after' }]);
  });
});

describe('retention', () => {
  it('deletes events older than the retention, and only those', async () => {
    const db = tenantDb(ctx.app.db, ctx.school.schemaName);
    await publish([bob.id], 'message.created', { age: 'old' });
    await sql`update ${sql.table(`${ctx.school.schemaName}.events`)} set "createdAt" = now() - interval '8 days' where data->>'age' = 'old'`.execute(ctx.app.db);
    await publish([bob.id], 'message.created', { age: 'new' });
    await deleteOldEvents(ctx.app.db, 7 * 24 * 60 * 60_000);
    const ages = (await db.selectFrom('events').select('data').where('userId', '=', bob.id).execute()).map((row) => row.data.age).filter(Boolean);
    expect(ages).toEqual(['new']);
  });
});

describe('isolation', () => {
  it('never sends one institution’s events to another’s sockets', async () => {
    const otherSchool = await registerInstitution(ctx.app);
    const stranger = await createMember(ctx.app, otherSchool, 'student');
    const client = track(await connect(stranger.token));
    await publish([alice.id, stranger.id]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(client.events).toEqual([]);
  });
});
