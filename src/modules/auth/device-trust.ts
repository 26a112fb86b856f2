import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long a browser stays trusted after its last successful sign-in to the account. */
export const DEVICE_TRUST_SECONDS = 180 * 24 * 60 * 60;
/** Sent only to the routes that check passwords. */
const COOKIE_PATH = '/api/auth';

/**
 * Device cookies (OWASP's answer to lockout as a weapon): a browser that signed in to an account
 * successfully gets a signed cookie naming that account and a device id. While the account is
 * locked by failed guesses from elsewhere, a client presenting such a cookie is judged by its own
 * failures, not the account's, so the owner still gets in and guessing stays throttled per device.
 *
 * One cookie per account, so a family computer used by a parent and a student keeps both.
 */
export interface DeviceTrust {
  /** The device id of a valid cookie for this account on the request, if any. */
  trustedDevice(request: FastifyRequest, accountId: string): string | undefined;
  /** Sets (or renews) the cookie after a successful sign-in. */
  remember(request: FastifyRequest, reply: FastifyReply, accountId: string): void;
}

export function deviceCookieName(accountId: string): string {
  return `crm_device_${accountId.replaceAll('-', '')}`;
}

function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function createDeviceTrust(secret: string): DeviceTrust {
  // A key of its own, derived from the token secret, so a cookie can never pass for a token.
  const key = createHmac('sha256', secret).update('crm device cookie').digest();
  const signature = (accountId: string, deviceId: string, issuedAt: string) =>
    createHmac('sha256', key).update(`${accountId}.${deviceId}.${issuedAt}`).digest();

  return {
    trustedDevice(request, accountId) {
      const value = readCookie(request, deviceCookieName(accountId));
      const [deviceId, issuedAt, mac] = value?.split('.') ?? [];
      if (!deviceId || !issuedAt || !mac) return undefined;
      const expected = signature(accountId, deviceId, issuedAt);
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      const ageSeconds = Date.now() / 1000 - Number(issuedAt);
      return ageSeconds >= 0 && ageSeconds < DEVICE_TRUST_SECONDS ? deviceId : undefined;
    },
    remember(request, reply, accountId) {
      const deviceId = this.trustedDevice(request, accountId) ?? randomUUID();
      const issuedAt = String(Math.floor(Date.now() / 1000));
      const value = `${deviceId}.${issuedAt}.${signature(accountId, deviceId, issuedAt).toString('base64url')}`;
      const secure = request.protocol === 'https' ? '; Secure' : '';
      reply.header(
        'set-cookie',
        `${deviceCookieName(accountId)}=${value}; Path=${COOKIE_PATH}; Max-Age=${DEVICE_TRUST_SECONDS}; HttpOnly; SameSite=Strict${secure}`,
      );
    },
  };
}
