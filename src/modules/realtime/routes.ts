import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Value } from 'typebox/value';
import type { RawData } from 'ws';
import { tenantDb } from '../../db/tenant-schema.js';
import { AppError } from '../../lib/errors.js';
import { bearerToken, sessionIsCurrent } from '../../plugins/auth.js';
import { PRINCIPAL_CHANNEL } from '../auth/principal-cache.js';
import { findPrincipal } from '../auth/queries.js';
import { EventHub } from './hub.js';
import { CLOSE_SESSION_ENDED, LiveSocket } from './live-socket.js';
import { EVENTS_CHANNEL } from './publish.js';
import { deleteOldEvents, latestCursor } from './queries.js';
import { ResumeFrame, SocketQuery } from './schemas.js';

const tags = ['realtime'];

/** setTimeout's longest delay; a token living longer is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Live events over WebSocket (`GET /api/ws`): the hub that reads them for this instance's
 * sockets, the listeners that tell it of new events and of ended sessions, heartbeats, and the
 * sweep of old events.
 */
const realtimeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const settings = app.config.realtime;
  const sockets = new Set<LiveSocket>();
  const hub = new EventHub(app.db, app.log, settings.pollMs);
  const stopListening = await listenForEvents(app, hub, settings.pollMs);
  const stopRevocations = await app.database.listen(PRINCIPAL_CHANNEL, {
    message: (payload) => {
      const [schemaName, userId] = payload.split(':');
      if (schemaName) void endRevokedSessions(app, hub.subscribers(schemaName, userId) as Iterable<LiveSocket>);
    },
    // A revocation may have been missed while the listener was down.
    connected: () => void endRevokedSessions(app, sockets),
    disconnected: () => undefined,
  });
  // Checked after the I/O waiting in this turn of the event loop: after a stall, the pongs that
  // arrived meanwhile count before anyone is judged dead.
  const heartbeat = setInterval(
    () =>
      setImmediate(() => {
        for (const live of sockets) {
          if (!live.alive) live.socket.terminate();
          else {
            live.alive = false;
            live.socket.ping();
          }
        }
      }),
    settings.heartbeatMs,
  ).unref();
  let sweeping: Promise<unknown> = Promise.resolve();
  const sweep =
    settings.sweepIntervalMs > 0
      ? setInterval(() => {
          sweeping = deleteOldEvents(app.db, settings.eventRetentionMs).catch((error: unknown) => app.log.warn({ err: error }, 'the sweep of old events failed'));
        }, settings.sweepIntervalMs).unref()
      : undefined;
  app.addHook('onClose', async () => {
    clearInterval(heartbeat);
    clearInterval(sweep);
    hub.close();
    await Promise.all([stopListening(), stopRevocations(), sweeping]);
  });

  app.route({
    method: 'GET',
    url: '/ws',
    // Guardians too: absence alerts reach them live (issue 11).
    config: { access: 'anyAccount' },
    schema: {
      tags,
      summary: 'Live events over a WebSocket',
      description:
        "Open with `new WebSocket(url, ['bearer', accessToken])`: the token goes as a subprotocol, never in the URL, and the " +
        'server accepts `bearer`. Frames from the server: `{type:"hello", cursor}` first, then events `{id, cursor, type, data}` ' +
        'in cursor order, and `{type:"error", code, message}` for a frame it cannot use. `?since=<cursor>` (or a frame ' +
        '`{type:"resume", since}`) first sends every event after that cursor. Closes with 4401 when the session ends ' +
        '(logout, password change, deactivation, expiry) and with 1009 for a frame over the size limit.',
      querystring: SocketQuery,
    },
    wsHandler: async (socket, request) => {
      // The auth hook admitted this token a moment ago.
      const claims = app.tokens.verify(bearerToken(request)!)!;
      const live = new LiveSocket(socket, claims, request.principal.institution.schemaName, settings.maxBufferedBytes);
      const db = tenantDb(app.db, live.schemaName);
      sockets.add(live);
      const expiry = setTimeout(() => live.close(CLOSE_SESSION_ENDED, 'token expired'), Math.min(claims.exp * 1000 - Date.now(), MAX_TIMER_MS));
      socket.on('pong', () => {
        live.alive = true;
      });
      socket.on('close', () => {
        clearTimeout(expiry);
        sockets.delete(live);
        hub.leave(live);
      });
      socket.on('message', (data, isBinary) => onFrame(live, db, data, isBinary));
      await hub.join(live);
      const head = await latestCursor(db);
      live.send({ type: 'hello', cursor: head });
      await live.catchUp(db, request.query.since ?? head);
    },
    // A plain GET (no upgrade) gets the one error shape.
    handler: async () => {
      throw new AppError(426, 'UPGRADE_REQUIRED', 'This route only speaks WebSocket');
    },
  });
};

/**
 * A frame from a client: only `{type:"resume", since}` means something. Anything else is answered
 * with an error frame and otherwise ignored; the socket stays open.
 */
function onFrame(live: LiveSocket, db: ReturnType<typeof tenantDb>, data: RawData, isBinary: boolean): void {
  let frame: unknown;
  try {
    frame = isBinary ? undefined : JSON.parse(data.toString());
  } catch {
    frame = undefined;
  }
  if (typeof frame !== 'object' || frame === null || typeof (frame as { type?: unknown }).type !== 'string') {
    live.send({ type: 'error', code: 'BAD_FRAME', message: 'Frames are JSON objects with a type' });
  } else if ((frame as { type: string }).type !== 'resume') {
    live.send({ type: 'error', code: 'UNKNOWN_FRAME', message: `Unknown frame type; the server understands "resume"` });
  } else if (!Value.Check(ResumeFrame, frame)) {
    live.send({ type: 'error', code: 'BAD_FRAME', message: 'A resume frame is {type:"resume", since: <cursor>}' });
  } else {
    live.catchUp(db, frame.since).catch(() => live.socket.terminate());
  }
}

/**
 * One LISTEN per instance on the events channel. While it is down, new events are polled for;
 * once it is back, everything after the last read is read.
 */
async function listenForEvents(app: FastifyInstance, hub: EventHub, pollMs: number) {
  let poll: NodeJS.Timeout | undefined;
  const stop = await app.database.listen(EVENTS_CHANNEL, {
    message: (payload) => hub.notified(payload),
    connected: () => {
      clearInterval(poll);
      poll = undefined;
      hub.readAll();
    },
    disconnected: (error) => {
      app.log.warn({ err: error }, 'lost the live events listener; polling for events until it is back');
      poll ??= setInterval(() => hub.readAll(), pollMs).unref();
    },
  });
  return async () => {
    clearInterval(poll);
    await stop();
  };
}

/** Closes (4401) the sockets whose token no longer stands: one account read per account. */
async function endRevokedSessions(app: FastifyInstance, sockets: Iterable<LiveSocket>): Promise<void> {
  const byAccount = new Map<string, LiveSocket[]>();
  for (const socket of sockets) byAccount.set(socket.userId, [...(byAccount.get(socket.userId) ?? []), socket]);
  for (const group of byAccount.values()) {
    try {
      const principal = await findPrincipal(app.db, group[0]!.claims);
      for (const socket of group) {
        if (!sessionIsCurrent(socket.claims, principal)) socket.close(CLOSE_SESSION_ENDED, 'session ended');
      }
    } catch (error) {
      app.log.warn({ err: error }, 'checking live sessions failed');
    }
  }
}

export default realtimeRoutes;
