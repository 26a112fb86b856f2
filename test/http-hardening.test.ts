import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORS_METHODS } from '../src/plugins/security.js';
import { call, expectErrorShape, registerInstitution, startTestApp, type TestApp, type TestInstitution } from './helpers.js';

let t: TestApp;
let school: TestInstitution;
beforeAll(async () => {
  t = await startTestApp({ FRONTEND_URL: 'https://app.school.example, https://admin.school.example', BODY_LIMIT_BYTES: '2048', UPLOAD_LIMIT_BYTES: '4096' });
  school = await registerInstitution(t.app);
});
afterAll(() => t.close());

describe('HTTP hardening', () => {
  it('sends helmet security headers', async () => {
    const response = await call(t.app, 'GET', '/api/health');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('allows CORS only from the configured front-end origins', async () => {
    const preflight = (origin: string) =>
      call(t.app, 'OPTIONS', '/api/users', {
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight('https://admin.school.example');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.school.example');
    const denied = await preflight('https://evil.example');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('compresses large answers for clients that accept it', async () => {
    const response = await call(t.app, 'GET', '/docs/json', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
  });

  it('refuses bodies over the limit with 413 and malformed JSON with 400, in the error shape', async () => {
    const big = await call(t.app, 'POST', '/api/users', {
      token: school.adminToken,
      body: { username: 'big', password: 'x'.repeat(4000), role: 'student', name: 'Big' },
    });
    expect(big.statusCode).toBe(413);
    expect(big.data).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) });

    const malformed = await call(t.app, 'POST', '/api/auth/login', { body: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.data.code).toBeDefined();
    expect(malformed.data.message).toBeDefined();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await call(t.app, 'GET', '/api/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.data).toEqual({ code: 'NOT_FOUND', message: 'Route GET /api/nothing-here not found' });
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const spec = await call(t.app, 'GET', '/docs/json');
    expect(spec.data.openapi).toBe('3.1.0');
    for (const path of ['/api/health', '/api/setup/admin', '/api/auth/login', '/api/users', '/api/users/{id}', '/api/users/import', '/api/activity-logs']) {
      expect(Object.keys(spec.data.paths)).toContain(path);
    }
    // Public routes are documented as needing no token; the rest inherit the bearer requirement.
    expect(spec.data.paths['/api/health'].get.security).toEqual([]);
    expect(spec.data.paths['/api/auth/login'].post.security).toEqual([]);
    expect(spec.data.paths['/api/users'].get.security).toBeUndefined();
    expect(spec.data.security).toEqual([{ bearerAuth: [] }]);
    const page = await call(t.app, 'GET', '/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('answers a preflight for every method the API uses from an allowed origin, and none from a foreign one', async () => {
    const usedMethods = new Set(t.app.routeTable.filter((route) => route.url.startsWith('/api/')).map((route) => route.method));
    for (const method of usedMethods) expect(CORS_METHODS, method).toContain(method);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
      const preflight = (origin: string) =>
        call(t.app, 'OPTIONS', '/api/users/00000000-0000-4000-8000-000000000000', {
          headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' },
        });
      const allowed = await preflight('https://app.school.example');
      expect(allowed.statusCode, method).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('https://app.school.example');
      expect(String(allowed.headers['access-control-allow-methods']).split(',').map((m) => m.trim())).toContain(method);
      expect(String(allowed.headers['access-control-allow-headers'])).toMatch(/authorization.*content-type/);
      expect(allowed.headers['access-control-allow-credentials']).toBe('true');
      const foreign = await preflight('https://evil.example');
      expect(foreign.headers['access-control-allow-origin'], method).toBeUndefined();
    }
    const incomplete = await call(t.app, 'OPTIONS', '/api/users');
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.data).toEqual({ code: 'BAD_REQUEST', message: 'A preflight request needs the Origin and Access-Control-Request-Method headers' });
  });

  it('answers every error Fastify or Node raises in the one error shape, with the project\'s codes', async () => {
    const json = { 'content-type': 'application/json' };
    const cases = [
      { status: 400, code: 'BAD_REQUEST', response: await call(t.app, 'GET', '/%') },
      { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', response: await call(t.app, 'POST', '/api/auth/login', { body: '<login/>', headers: { 'content-type': 'application/xml' } }) },
      { status: 400, code: 'INVALID_JSON', response: await call(t.app, 'POST', '/api/auth/login', { body: '{"username":', headers: json }) },
      { status: 400, code: 'INVALID_JSON', response: await call(t.app, 'POST', '/api/auth/login', { body: '', headers: json }) },
      { status: 413, code: 'PAYLOAD_TOO_LARGE', response: await call(t.app, 'POST', '/api/auth/login', { body: JSON.stringify({ username: 'x'.repeat(4000) }), headers: json }) },
    ];
    const boundary = 'crm-test-boundary';
    const multipart = [`--${boundary}`, 'Content-Disposition: form-data; name="file"; filename="users.csv"', 'Content-Type: text/csv', '', 'x'.repeat(10_000), `--${boundary}--`, ''].join('\r\n');
    cases.push({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      response: await call(t.app, 'POST', '/api/users/import', {
        token: school.adminToken,
        body: multipart,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      }),
    });
    for (const { status, code, response } of cases) {
      expect(response.statusCode, response.body).toBe(status);
      expectErrorShape(response);
      expect(response.data.code, response.body).toBe(code);
    }
    for (const body of ['{"__proto__":{"isAdmin":true},"username":"a","password":"b"}', '{"username":"a","password":"b","x":{"constructor":{"prototype":{}}}}']) {
      const poisoned = await call(t.app, 'POST', '/api/auth/login', { body, headers: json });
      expect(poisoned.statusCode).toBe(400);
      expect(poisoned.data).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^The key "(__proto__|constructor)" is not allowed/) });
      expectErrorShape(poisoned);
    }
  });

  it('answers a request whose URL overflows the header limit in the one error shape, over a real socket', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as AddressInfo;
    const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: `/api/health?q=${'x'.repeat(100_000)}` }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, type: String(response.headers['content-type']), body }));
      });
      request.on('error', reject);
      request.end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toContain('application/json');
    expect(JSON.parse(answer.body)).toEqual({ code: 'HEADERS_TOO_LARGE', message: 'The request headers or URL are too large' });
  });

  it('refuses a bad value for a field that may be null instead of turning it into null', async () => {
    const user = await call(t.app, 'POST', '/api/users', {
      token: school.adminToken,
      body: { username: 'nullable.check', password: 'a-long-secret', role: 'student', name: 'Nullable Check', email: 'kept@school.example' },
    });
    expect(user.statusCode).toBe(201);
    const cleared = await call(t.app, 'PATCH', `/api/users/${user.data.id}`, { token: school.adminToken, body: { email: '' } });
    expect(cleared.statusCode).toBe(400);
    expect(cleared.data.details).toEqual([expect.objectContaining({ field: 'email' })]);
    const row = await t.app.db.withSchema(school.schemaName).selectFrom('users').select('email').where('id', '=', user.data.id).executeTakeFirstOrThrow();
    expect(row.email).toBe('kept@school.example');
    const nulled = await call(t.app, 'PATCH', `/api/users/${user.data.id}`, { token: school.adminToken, body: { email: null } });
    expect(nulled.statusCode).toBe(200);
    expect(nulled.data.email).toBeNull();
  });
});
