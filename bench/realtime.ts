/**
 * Live delivery for `npm run bench` (section `realtime`): SOCKETS WebSocket clients of the demo
 * school's people (several per person) on one instance, and RATE messages a second between random
 * pairs (a teacher or the admin writes, anyone receives) through POST /api/messages for DURATION
 * seconds. The latency is from just before the POST to the `message.created` frame on each of the
 * receiver's sockets. Then the same with every socket on a second instance on the same database,
 * the POSTs still going to the first. The clients (ws) run in the bench process, as the API does:
 * their own work is inside the numbers.
 */
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { buildApp } from '../src/app.js';
import { tenantDb, tenantSchemaName } from '../src/db/tenant-schema.js';

const SOCKETS = 1000;
const RATE = 100;
const SECONDS = 4;
/** How long to wait for the last deliveries after the last POST. */
const DRAIN_MS = 2000;
const OPEN_CONCURRENCY = 50;

interface Person {
  id: string;
  role: string;
  token: string;
}

export interface RealtimeBench {
  api: FastifyInstance;
  apiUrl: string;
  institutionId: string;
}

export async function benchRealtime({ api, apiUrl, institutionId }: RealtimeBench): Promise<void> {
  const people = await peopleOf(api, institutionId);
  const second = await buildApp({ config: api.config, database: api.database });
  try {
    await second.listen({ host: '127.0.0.1', port: 0 });
    console.log(`\nlive delivery: ${SOCKETS} sockets of ${people.length} people, ${RATE} messages/s for ${SECONDS} s through POST /api/messages`);
    const rows = [await deliver('one instance', api, apiUrl, people), await deliver('two instances (POST to A, sockets on B)', second, apiUrl, people)];
    console.table(rows);
  } finally {
    await second.close();
  }
}

/** Everyone in the demo school, with a token signed for them (thousands of sign-ins would dominate the setup). */
async function peopleOf(api: FastifyInstance, institutionId: string): Promise<Person[]> {
  const users = await tenantDb(api.db, tenantSchemaName(institutionId)).selectFrom('users').select(['id', 'role', 'tokenVersion']).where('isActive', '=', true).execute();
  return users.map((user) => ({ id: user.id, role: user.role, token: api.tokens.sign({ sub: user.id, iid: institutionId, role: user.role, ver: user.tokenVersion }) }));
}

async function deliver(label: string, socketsOn: FastifyInstance, apiUrl: string, people: Person[]) {
  const url = `ws://127.0.0.1:${(socketsOn.server.address() as AddressInfo).port}/api/ws`;
  const sentAt = new Map<string, number>();
  const receiverOf = new Map<string, string>();
  const socketsOf = new Map<string, number>();
  const arrivals: { messageId: string; at: number }[] = [];
  const sockets: WebSocket[] = [];
  const owners = people.slice(0, Math.min(people.length, SOCKETS));
  for (let start = 0; start < SOCKETS; start += OPEN_CONCURRENCY) {
    await Promise.all(
      Array.from({ length: Math.min(OPEN_CONCURRENCY, SOCKETS - start) }, async (_, offset) => {
        const owner = owners[(start + offset) % owners.length]!;
        socketsOf.set(owner.id, (socketsOf.get(owner.id) ?? 0) + 1);
        const ws = new WebSocket(url, ['bearer', owner.token]);
        ws.on('message', (raw) => {
          const frame = JSON.parse(raw.toString()) as { type: string; data?: { messageId?: string; receiverId?: string } };
          if (frame.type === 'message.created' && frame.data?.receiverId === owner.id) arrivals.push({ messageId: frame.data.messageId!, at: performance.now() });
        });
        await new Promise((resolve, reject) => {
          ws.once('open', resolve);
          ws.once('error', reject);
        });
        sockets.push(ws);
      }),
    );
  }
  const writers = owners.filter((person) => person.role === 'teacher');
  const pending: Promise<void>[] = [];
  let failed = 0;
  const total = RATE * SECONDS;
  const began = performance.now();
  for (let n = 0; n < total; n += 1) {
    const due = began + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const sender = writers[Math.floor(Math.random() * writers.length)]!;
    let receiver = owners[Math.floor(Math.random() * owners.length)]!;
    if (receiver.id === sender.id) receiver = owners[(owners.indexOf(receiver) + 1) % owners.length]!;
    const at = performance.now();
    pending.push(
      fetch(`${apiUrl}/api/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sender.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ receiverId: receiver.id, message: `Bench message ${n}` }),
      }).then(async (response) => {
        if (!response.ok) {
          failed += 1;
          return;
        }
        const { id } = (await response.json()) as { id: string };
        sentAt.set(id, at);
        receiverOf.set(id, receiver.id);
      }),
    );
  }
  await Promise.all(pending);
  await sleep(DRAIN_MS);
  for (const ws of sockets) ws.terminate();
  const latencies = arrivals.flatMap(({ messageId, at }) => (sentAt.has(messageId) ? [at - sentAt.get(messageId)!] : []));
  const expected = [...receiverOf.values()].reduce((sum, receiverId) => sum + (socketsOf.get(receiverId) ?? 0), 0);
  return {
    setup: label,
    messages: sentAt.size,
    'failed POSTs': failed,
    'deliveries (expected)': `${latencies.length} (${expected})`,
    'p50 ms': percentile(latencies, 0.5).toFixed(1),
    'p99 ms': percentile(latencies, 0.99).toFixed(1),
    'max ms': Math.max(...latencies).toFixed(1),
    'target p99': '< 50 ms (PostgreSQL)',
  };
}

function percentile(values: number[], share: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}
