import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { call, DATABASE_URL, startTestApp } from '../../../test/helpers.js';

describe('GET /api/health', () => {
  it('reports healthy with the database ok, and 503 once the database stops answering', async () => {
    const t = await startTestApp();
    const healthy = await call(t.app, 'GET', '/api/health');
    expect(healthy.statusCode).toBe(200);
    expect(healthy.data).toEqual({ status: 'healthy', timestamp: expect.any(String), uptime: expect.any(Number), database: 'ok' });

    await t.database.db.destroy();
    const down = await call(t.app, 'GET', '/api/health');
    expect(down.statusCode).toBe(503);
    expect(down.data).toMatchObject({ status: 'unhealthy', database: 'unavailable' });
    await t.app.close();
    await t.database.close().catch(() => undefined);
  });
});

describe.skipIf(!DATABASE_URL)('on PostgreSQL', () => {
  it('survives the server closing idle pooled connections, and keeps answering', async () => {
    const t = await startTestApp();
    expect((await call(t.app, 'GET', '/api/health')).statusCode).toBe(200);
    const killer = new pg.Client({ connectionString: t.database.url });
    await killer.connect();
    await killer.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    await killer.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await call(t.app, 'GET', '/api/health')).statusCode).toBe(200);
    await t.close();
  });
});
