import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'crm-config-'));

describe('loadConfig', () => {
  it('defaults to port 4000, ./data and the embedded database', () => {
    const dir = tempDir();
    const config = loadConfig({ DATA_DIR: dir });
    expect(config.port).toBe(4000);
    expect(config.dataDir).toBe(dir);
    expect(config.databaseUrl).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dir, PORT: '8080', DATABASE_URL: 'postgres://db/crm' })).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://db/crm',
      databaseListenUrl: 'postgres://db/crm',
      databasePreparedStatements: 100,
    });
  });

  it('listens for notifications on a server of its own when told to (a pooler in front of DATABASE_URL)', () => {
    const config = loadConfig({ DATA_DIR: tempDir(), DATABASE_URL: 'postgres://pgbouncer/crm', DATABASE_LISTEN_URL: 'postgres://db/crm' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://pgbouncer/crm', databaseListenUrl: 'postgres://db/crm' });
    expect(loadConfig({ DATA_DIR: tempDir(), DATABASE_PREPARED_STATEMENTS: '0' }).databasePreparedStatements).toBe(0);
  });

  it('refuses to start in production without JWT_SECRET', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: tempDir() })).toThrow('JWT_SECRET is required');
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'too-short' })).toThrow('at least 32 characters');
  });

  it('generates a development secret once and keeps it under DATA_DIR, readable only by its owner', () => {
    const dir = tempDir();
    const first = loadConfig({ DATA_DIR: dir }).jwt.secret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dir }).jwt.secret).toBe(first);
    const file = path.join(dir, 'jwt-secret');
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('reads the CORS origin list and rejects malformed numbers', () => {
    const config = loadConfig({ DATA_DIR: tempDir(), FRONTEND_URL: 'https://a.example, https://b.example' });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(() => loadConfig({ DATA_DIR: tempDir(), PORT: 'eighty' })).toThrow('PORT must be a non-negative integer');
  });
});
