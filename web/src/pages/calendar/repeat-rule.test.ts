import { describe, expect, it } from 'vitest';
import { parseRepeatRule, type RepeatDraft, repeatRule, repeatSummary } from './repeat-rule';

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

  it('reads back every rule it writes, an UNTIL as its local day', () => {
    for (const draft of [weekly, { ...weekly, end: 'until', until: '2026-12-18' }, { ...weekly, frequency: 'daily', end: 'never' }, { ...weekly, frequency: 'monthly', count: 3 }] as RepeatDraft[]) {
      const parsed = parseRepeatRule(repeatRule(draft, 'Europe/Berlin'), 'Europe/Berlin', 'monday')!;
      expect(repeatRule(parsed, 'Europe/Berlin')).toBe(repeatRule(draft, 'Europe/Berlin'));
    }
    expect(parseRepeatRule('FREQ=WEEKLY;UNTIL=20261218T225959Z', 'Europe/Berlin', 'tuesday')).toEqual({ frequency: 'weekly', weekdays: ['tuesday'], end: 'until', count: 10, until: '2026-12-18' });
    expect(parseRepeatRule('RRULE:FREQ=WEEKLY;BYDAY=WE,MO;COUNT=4', 'UTC', 'monday')).toEqual({ frequency: 'weekly', weekdays: ['wednesday', 'monday'], end: 'count', count: 4, until: '' });
    expect(parseRepeatRule('FREQ=MONTHLY;UNTIL=20270105', 'UTC', 'monday')).toMatchObject({ end: 'until', until: '2027-01-05' });
  });

  it('leaves rules it cannot show to the caller', () => {
    for (const rule of ['FREQ=YEARLY', 'FREQ=WEEKLY;INTERVAL=2', 'FREQ=MONTHLY;BYDAY=2TU', 'FREQ=MONTHLY;BYMONTHDAY=15', 'FREQ=DAILY;BYDAY=MO']) {
      expect(parseRepeatRule(rule, 'UTC', 'monday'), rule).toBeNull();
    }
  });
});
