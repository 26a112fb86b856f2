import { afterEach, describe, expect, it, vi } from 'vitest';
import { PrincipalCache } from './principal-cache.js';
import type { Principal } from './queries.js';

const SCHEMA = 'tenant_00000000000040008000000000000001';
const OTHER = 'tenant_00000000000040008000000000000002';

function principal(id: string, schemaName = SCHEMA): Principal {
  return {
    id,
    role: 'teacher',
    username: id,
    name: id,
    email: null,
    isActive: true,
    tokenVersion: 0,
    institution: { id: 'i', name: 'School', code: 'ABC234', schemaName },
  };
}

function enabledCache(options = { ttlMs: 30_000, maxEntries: 100 }) {
  const cache = new PrincipalCache(options);
  cache.setEnabled(true);
  return cache;
}

afterEach(() => vi.useRealTimers());

describe('PrincipalCache', () => {
  it('serves what was stored, and nothing while disabled', () => {
    const cache = enabledCache();
    cache.store(cache.ticket(SCHEMA), principal('a'));
    expect(cache.get(SCHEMA, 'a')?.id).toBe('a');
    cache.setEnabled(false);
    expect(cache.get(SCHEMA, 'a')).toBeUndefined();
    cache.store(cache.ticket(SCHEMA), principal('a'));
    cache.setEnabled(true);
    expect(cache.get(SCHEMA, 'a')).toBeUndefined();
  });

  it('drops a read that raced an eviction of its institution', () => {
    const cache = enabledCache();
    const ticket = cache.ticket(SCHEMA);
    cache.evict(SCHEMA, 'someone-else');
    cache.store(ticket, principal('a'));
    expect(cache.get(SCHEMA, 'a')).toBeUndefined();

    const afterClear = cache.ticket(OTHER);
    cache.clear();
    cache.store(afterClear, principal('b', OTHER));
    expect(cache.get(OTHER, 'b')).toBeUndefined();
  });

  it('evicts one account or a whole institution from trigger payloads', () => {
    const cache = enabledCache();
    for (const id of ['a', 'b']) cache.store(cache.ticket(SCHEMA), principal(id));
    cache.store(cache.ticket(OTHER), principal('c', OTHER));
    cache.evictByNotification(`${SCHEMA}:a`);
    expect([cache.get(SCHEMA, 'a'), cache.get(SCHEMA, 'b')?.id]).toEqual([undefined, 'b']);
    cache.evictByNotification(SCHEMA);
    expect(cache.get(SCHEMA, 'b')).toBeUndefined();
    expect(cache.get(OTHER, 'c')?.id).toBe('c');
  });

  it('forgets entries after the TTL and stays within its size bound', () => {
    vi.useFakeTimers();
    const cache = enabledCache({ ttlMs: 1000, maxEntries: 2 });
    cache.store(cache.ticket(SCHEMA), principal('a'));
    vi.advanceTimersByTime(1001);
    expect(cache.get(SCHEMA, 'a')).toBeUndefined();
    for (const id of ['x', 'y', 'z']) cache.store(cache.ticket(SCHEMA), principal(id));
    const kept = ['x', 'y', 'z'].filter((id) => cache.get(SCHEMA, id));
    expect(kept.length).toBeLessThanOrEqual(2);
    expect(kept).toContain('z');
  });
});
