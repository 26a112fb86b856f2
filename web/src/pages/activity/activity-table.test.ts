import { describe, expect, it } from 'vitest';
import { type ActivityEntry, actorOf, describeEntry, detailText } from './activity-table';

const entry = (rest: Partial<ActivityEntry>): ActivityEntry => ({
  id: 'entry-1',
  userId: 'admin-1',
  userRole: 'admin',
  userName: 'Ada Admin',
  action: 'create',
  targetType: 'class',
  targetId: 'class-1',
  targetName: '7A',
  details: null,
  ip: null,
  userAgent: null,
  createdAt: '2026-11-26T08:00:00.000Z',
  ...rest,
});

describe('activity entries in words', () => {
  it('says what was done to what', () => {
    expect(describeEntry(entry({}))).toBe('created class 7A');
    expect(describeEntry(entry({ action: 'import', targetType: 'user', targetId: null, targetName: null }))).toBe('imported user');
  });

  it('names no target when people act on themselves', () => {
    expect(describeEntry(entry({ action: 'login', targetType: 'admin', targetId: 'admin-1', targetName: 'ada' }))).toBe('signed in');
    expect(describeEntry(entry({ action: 'change_password', targetType: 'admin', targetId: 'admin-1' }))).toBe('changed their password');
  });

  it('writes codes it has no words for with spaces', () => {
    expect(describeEntry(entry({ action: 'archive_all', targetType: 'old_records', targetName: null }))).toBe('archive all old records');
  });

  it('says who acted with their role, or the system', () => {
    expect(actorOf(entry({}))).toBe('Ada Admin (Admin)');
    expect(actorOf(entry({ userName: null, userRole: null }))).toBe('System');
  });

  it('shows details as words, never as JSON', () => {
    expect(detailText({ created: 3, linked: 0 })).toBe('created: 3; linked: 0');
    expect(detailText({ fields: ['name', 'email'], passwordReset: false, moved: { from: 'monday', to: null } })).toBe(
      'fields: name, email; passwordReset: no; moved: (from: monday; to: —)',
    );
  });
});
