import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createDeviceTrust } from './device-trust.js';

/** An account as far as password checks are concerned; undefined when no account matched. */
export interface GuardedAccount {
  id: string;
}

/**
 * Every password check (sign-in, password change, institution deletion) counts its failures here,
 * against one limit per account (AUTH_RATE_LIMIT_PER_USERNAME per AUTH_RATE_LIMIT_WINDOW_MS):
 * - a client without a device cookie for the account shares the account's count, from any IP;
 * - a browser that signed in to the account before (device-trust.ts) has a count of its own, so
 *   guesses from elsewhere cannot lock the owner out, and a stolen cookie still guesses slowly;
 * - names that match no account count under the name typed, at the same cost.
 */
export interface PasswordGuard {
  /** The counter this attempt is judged by; throws 429 while it is used up. */
  admit(request: FastifyRequest, account: GuardedAccount | undefined, typedName: string): Promise<string>;
  recordFailure(counter: string): Promise<void>;
  /** After a correct password: this browser is trusted for the account from now on. */
  succeeded(request: FastifyRequest, reply: FastifyReply, account: GuardedAccount): void;
}

export function createPasswordGuard(app: FastifyInstance): PasswordGuard {
  const devices = createDeviceTrust(app.config.jwt.secret);
  return {
    async admit(request, account, typedName) {
      let counter = `account:unknown:${typedName.toLowerCase()}`;
      if (account) {
        const deviceId = devices.trustedDevice(request, account.id);
        counter = deviceId ? `device:${deviceId}` : `account:${account.id}`;
      }
      await app.authAttempts.assertAllowed(counter);
      return counter;
    },
    recordFailure: (counter) => app.authAttempts.recordFailure(counter),
    succeeded: (request, reply, account) => devices.remember(request, reply, account.id),
  };
}
