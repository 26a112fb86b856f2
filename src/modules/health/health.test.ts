import { describe, expect, it } from 'vitest';
import { call, startTestApp } from '../../../test/helpers.js';

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
