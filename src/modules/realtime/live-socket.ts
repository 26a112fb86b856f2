import type { WebSocket } from 'ws';
import type { TenantDb } from '../../db/tenant-schema.js';
import type { VerifiedClaims } from '../../lib/tokens.js';
import type { Subscriber } from './hub.js';
import { EVENT_BATCH, type EventFrame, eventsAfter } from './queries.js';

/** Close codes of the API's own: the token was revoked or expired, or the account deactivated. */
export const CLOSE_SESSION_ENDED = 4401;

/** A frame the server sends besides events. */
export type ControlFrame = { type: 'hello'; cursor: number } | { type: 'error'; code: string; message: string };

/**
 * One open socket: the frames it is sent, in cursor order and each once. While it catches up
 * (reads what it missed from the database) live events wait in `pending`, and the ones the
 * catch-up already sent are skipped when they are let through: no gap and no duplicate at the seam.
 */
export class LiveSocket implements Subscriber {
  readonly schemaName: string;
  readonly userId: string;
  /** Cleared by each heartbeat, set by the pong that answers it. */
  alive = true;
  #lastSent = 0;
  #pending: EventFrame[] | undefined = [];
  #catchingUp: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: WebSocket,
    readonly claims: VerifiedClaims,
    schemaName: string,
    private readonly maxBufferedBytes: number,
  ) {
    this.schemaName = schemaName;
    this.userId = claims.sub;
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  deliver(event: EventFrame): void {
    if (this.#pending) this.#pending.push(event);
    else this.#sendEvent(event);
  }

  /**
   * Sends every event of the account after `since` from the database, then lets live events
   * through again. Catch-ups run one after the other; live events wait from the call on.
   */
  catchUp(db: TenantDb, since: number): Promise<void> {
    this.#pending ??= [];
    this.#catchingUp = this.#catchingUp.then(async () => {
      this.#pending ??= [];
      this.#lastSent = since;
      for (let after = since; this.open; ) {
        const rows = await eventsAfter(db, after, [this.userId]);
        for (const row of rows) this.#sendEvent(row);
        if (rows.length < EVENT_BATCH) break;
        after = rows.at(-1)!.cursor;
      }
      const pending = this.#pending ?? [];
      this.#pending = undefined;
      for (const event of pending) this.#sendEvent(event);
    });
    return this.#catchingUp;
  }

  send(frame: ControlFrame): void {
    this.#write(JSON.stringify(frame));
  }

  close(code: number, reason: string): void {
    if (this.open) this.socket.close(code, reason);
  }

  #sendEvent({ id, cursor, type, data }: EventFrame): void {
    if (cursor <= this.#lastSent) return;
    this.#lastSent = cursor;
    this.#write(JSON.stringify({ id, cursor, type, data }));
  }

  /**
   * A client that does not read leaves frames queued in this process; past the bound it is cut
   * off (a close frame would only queue behind the rest), so it costs neither memory nor anyone
   * else's delivery. It reconnects with `since` when it reads again.
   */
  #write(text: string): void {
    if (!this.open) return;
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.socket.terminate();
      return;
    }
    this.socket.send(text);
  }
}
