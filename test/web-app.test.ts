import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { call, expectErrorShape, startTestApp, testConfig, type TestApp } from './helpers.js';

/** A build as Vite lays it out, small enough to read in a test; the real one is not needed. */
function fakeBuild(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'crm-web-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div><script type="module" src="/assets/index-Ab12Cd.js"></script>');
  writeFileSync(path.join(dir, 'assets/index-Ab12Cd.js'), `export const app = ${JSON.stringify('x'.repeat(4000))};\n`);
  writeFileSync(path.join(dir, 'favicon.ico'), 'icon');
  return dir;
}

const APP_HTML = /^<!doctype html><div id="root">/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ WEB_DIR: fakeBuild() });
});
afterAll(() => t.close());

describe('the web app beside the API', () => {
  it('serves index.html at / and never lets it be cached, under a CSP that allows its scripts', async () => {
    const response = await call(t.app, 'GET', '/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toMatch(APP_HTML);
    expect(response.headers['cache-control']).toBe('no-store');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    // Over plain HTTP on a school's network the upgrade would send the scripts to https.
    expect(csp).not.toContain('upgrade-insecure-requests');
    // Voice messages play from blob: URLs; nothing else is widened.
    expect(csp).toContain("media-src 'self' blob:");
    expect(csp).toContain("object-src 'none'");
  });

  it('answers a deep link of the app with index.html, query and all', async () => {
    for (const url of ['/admin/users?role=teacher', '/sign-in?next=%2Fadmin', '/week/2026-W48']) {
      const response = await call(t.app, 'GET', url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).toMatch(APP_HTML);
      expect(response.headers['cache-control'], url).toBe('no-store');
    }
  });

  it('serves hashed assets with a year-long immutable cache, compressed when asked', async () => {
    const response = await call(t.app, 'GET', '/assets/index-Ab12Cd.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(response.headers['cache-control']).toBe(IMMUTABLE);
    expect(response.headers['content-encoding']).toBe('gzip');
  });

  it('answers a missing asset with a 404 in the error shape, neither index.html nor cacheable', async () => {
    const response = await call(t.app, 'GET', '/assets/index-Old999.js');
    expect(response.statusCode).toBe(404);
    expectErrorShape(response);
    expect(response.data.code).toBe('NOT_FOUND');
    expect(response.headers['cache-control']).toBeUndefined();
  });

  it('serves other files at the root by name, revalidated on use', async () => {
    const response = await call(t.app, 'GET', '/favicon.ico');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('icon');
    expect(response.headers['cache-control']).toBe('no-cache');
  });

  it('leaves the API alone: unknown API paths stay JSON 404s, whatever the method', async () => {
    for (const url of ['/api', '/api/', '/api/no-such-route', '/api/users/extra/segments']) {
      const response = await call(t.app, 'GET', url);
      expect(response.statusCode, url).toBe(404);
      expect(response.data, url).toEqual({ code: 'NOT_FOUND', message: `Route GET ${url} not found` });
    }
    const post = await call(t.app, 'POST', '/admin/users', { body: {} });
    expect(post.statusCode).toBe(404);
    expect(post.data).toEqual({ code: 'NOT_FOUND', message: 'Route POST /admin/users not found' });
    const health = await call(t.app, 'GET', '/api/health');
    expect(health.statusCode).toBe(200);
  });

  it('leaves the API documentation alone', async () => {
    const spec = await call(t.app, 'GET', '/docs/json');
    expect(spec.statusCode).toBe(200);
    expect(spec.data.openapi).toBe('3.1.0');
    expect(Object.keys(spec.data.paths as object).some((route) => !route.startsWith('/api/'))).toBe(false);
  });

  it('never serves a file outside the build', async () => {
    for (const url of ['/%2e%2e/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/package.json', '/..%2fpackage.json']) {
      const response = await call(t.app, 'GET', url);
      expect(response.body, url).not.toContain('smart-institutional-crm');
    }
  });

  it('without a build serves the API only: unknown paths are JSON 404s', async () => {
    const app = await buildApp({ config: testConfig({ WEB_DIR: mkdtempSync(path.join(tmpdir(), 'crm-no-web-')) }), database: t.database });
    try {
      const response = await call(app, 'GET', '/admin/users');
      expect(response.statusCode).toBe(404);
      expect(response.data).toEqual({ code: 'NOT_FOUND', message: 'Route GET /admin/users not found' });
    } finally {
      await app.close();
    }
  });
});
