import { describe, expect, it } from 'vitest';
import { type Lesson, nextPeriod, periodProblems, strandedLessons } from './bell-schedule-rules';

describe('bell schedule checks before saving', () => {
  it('accepts periods in order with breaks or back to back', () => {
    expect(periodProblems([{ start: '08:00', end: '08:45' }, { start: '08:45', end: '09:30' }, { start: '09:35', end: '10:20' }])).toEqual([]);
  });

  it('names a period that ends before it starts, and one that overlaps the one before', () => {
    const problems = periodProblems([{ start: '08:00', end: '08:45' }, { start: '08:40', end: '09:20' }, { start: '10:00', end: '09:50' }]);
    expect(problems.map(({ index, field, key }) => ({ index, field, key }))).toEqual([
      { index: 1, field: 'start', key: 'bellSchedule.problem.overlap' },
      { index: 2, field: 'end', key: 'bellSchedule.problem.endBeforeStart' },
    ]);
    expect(problems[0]?.values).toEqual({ number: 2, previous: 1, end: '08:45' });
  });

  it('asks for missing times', () => {
    expect(periodProblems([{ start: '', end: '08:45' }]).map((p) => p.key)).toEqual(['bellSchedule.problem.noStart']);
  });
});

describe('a new period', () => {
  it('follows the last one with the same length and break', () => {
    expect(nextPeriod([{ start: '08:00', end: '08:45' }, { start: '08:50', end: '09:35' }])).toEqual({ start: '09:40', end: '10:25' });
    expect(nextPeriod([])).toEqual({ start: '08:00', end: '08:45' });
  });

  it('never runs past midnight', () => {
    expect(nextPeriod([{ start: '22:00', end: '23:30' }])).toEqual({ start: '23:35', end: '23:59' });
  });
});

describe('lessons a schedule strands', () => {
  const lesson = (day: Lesson['day'], period: number) => ({ id: `${day}-${period}`, day, period }) as Lesson;

  it('are those on a day no longer taught or in a period past the last', () => {
    const lessons = [lesson('monday', 1), lesson('saturday', 1), lesson('tuesday', 8), lesson('tuesday', 7)];
    expect(strandedLessons(lessons, ['monday', 'tuesday'], 7).map((l) => l.id)).toEqual(['saturday-1', 'tuesday-8']);
  });
});
