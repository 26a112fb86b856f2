import { describe, expect, it } from 'vitest';
import { type RepeatDraft, repeatRule, repeatSummary } from './repeat-rule';

const weekly: RepeatDraft = { frequency: 'weekly', weekdays: ['wednesday', 'monday'], end: 'count', count: 10, until: '' };

describe('the repeat builder', () => {
  it('writes a weekly rule with its days in week order and an end', () => {
    expect(repeatRule(weekly, 'UTC')).toBe('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10');
    expect(repeatRule({ ...weekly, end: 'until', until: '2026-12-18' }, 'Europe/Berlin')).toBe('FREQ=WEEKLY;BYDAY=MO,WE;UNTIL=20261218T225959Z');
  });

  it('leaves the days out of daily and monthly rules and the end out of endless ones', () => {
    expect(repeatRule({ ...weekly, frequency: 'daily', end: 'never' }, 'UTC')).toBe('FREQ=DAILY');
    expect(repeatRule({ ...weekly, frequency: 'monthly', count: 3 }, 'UTC')).toBe('FREQ=MONTHLY;COUNT=3');
  });

  it('says the rule in words', () => {
    expect(repeatSummary(weekly, (date) => date)).toBe('Every week on Monday, Wednesday, 10 times');
    expect(repeatSummary({ ...weekly, frequency: 'daily', end: 'until', until: '2026-12-18' }, (date) => date)).toBe('Every day until 2026-12-18');
  });
});
