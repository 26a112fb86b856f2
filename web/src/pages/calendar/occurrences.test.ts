import { describe, expect, it } from 'vitest';
import { daysOf, type Occurrence, occurrencesByDay, occurrenceTitle, timeText } from './occurrences';

function occurrence(fields: Partial<Occurrence>): Occurrence {
  return {
    eventId: '00000000-0000-4000-8000-000000000001',
    title: 'Event',
    description: null,
    type: 'event',
    allDay: false,
    startsAt: null,
    endsAt: null,
    date: null,
    endDate: null,
    audience: { all: true },
    recurring: false,
    createdBy: '00000000-0000-4000-8000-000000000002',
    canEdit: false,
    ...fields,
  };
}

const club = occurrence({ title: 'Club', startsAt: '2026-12-07T15:00:00+01:00', endsAt: '2026-12-07T16:30:00+01:00' });
const trip = occurrence({ title: 'Trip', allDay: true, date: '2026-12-08', endDate: '2026-12-10' });
const holiday = occurrence({ title: 'Founders day', type: 'holiday', allDay: true, date: '2026-12-09', endDate: '2026-12-09' });

describe('occurrences in days', () => {
  it('reads times as the institution wrote them, not in the browser’s zone', () => {
    expect(timeText(club)).toBe('15:00–16:30');
    expect(timeText(trip)).toBe('All day');
  });

  it('spreads several-day events over each of their days; an end at midnight ends the day before', () => {
    expect(daysOf(trip)).toEqual({ first: '2026-12-08', last: '2026-12-10' });
    expect(daysOf(occurrence({ startsAt: '2026-12-07T20:00:00+01:00', endsAt: '2026-12-08T00:00:00+01:00' }))).toEqual({ first: '2026-12-07', last: '2026-12-07' });
    expect(daysOf(occurrence({ startsAt: '2026-12-07T20:00:00+01:00', endsAt: '2026-12-08T02:00:00+01:00' }))).toEqual({ first: '2026-12-07', last: '2026-12-08' });
  });

  it('lists each day holidays first, then all-day events, then by time', () => {
    const byDay = occurrencesByDay([club, trip, holiday], ['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-11']);
    expect(byDay.get('2026-12-07')!.map((entry) => entry.title)).toEqual(['Club']);
    expect(byDay.get('2026-12-08')!.map((entry) => entry.title)).toEqual(['Trip']);
    expect(byDay.get('2026-12-09')!.map((entry) => entry.title)).toEqual(['Founders day', 'Trip']);
    expect(byDay.get('2026-12-11')).toEqual([]);
  });

  it('says a holiday is one in words, not by colour alone', () => {
    expect(occurrenceTitle(holiday)).toBe('Holiday: Founders day');
    expect(occurrenceTitle(club)).toBe('Club');
  });
});
