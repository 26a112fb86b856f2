import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, registerInstitution, startTestApp, type TestApp, type TestInstitution } from './helpers.js';

let t: TestApp;
let school: TestInstitution;
beforeAll(async () => {
  t = await startTestApp({ FRONTEND_URL: 'https://app.school.example, https://admin.school.example', BODY_LIMIT_BYTES: '2048' });
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
    expect(big.data).toEqual({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', message: expect.any(String) });

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
});
