// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lesson, Week } from '../week/week';
import type { SchoolNow } from './school-day';
import { TodayLessons } from './today';

const maths = { id: 'subject-maths', name: 'Maths', color: null };
const tess = { id: 'teacher-tess', name: 'Tess Teacher' };
const theo = { id: 'teacher-theo', name: 'Theo Teacher' };
const class7a = { id: 'class-7a', name: '7A' };

function lesson(id: string, period: number, start: string, end: string, rest: Partial<Lesson> = {}): Lesson {
  return { id, day: 'thursday', period, start, end, subject: maths, class: class7a, teacher: tess, ...rest };
}

const first = lesson('l1', 1, '08:00', '08:45');
const second = lesson('l2', 2, '08:50', '09:35');
const away = lesson('l3', 3, '09:40', '10:25', { cancelled: true, cover: { teacher: theo } });
const friday = { ...lesson('l4', 1, '08:00', '08:45'), day: 'friday' } as Lesson;

function week(rest: Partial<Week> = {}): Week {
  return {
    days: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
    periods: [],
    lessons: [first, second, away, friday],
    dates: [{ day: 'thursday', date: '2026-11-26', holidays: [] }],
    ...rest,
  };
}

const thursday = (time: string): SchoolNow => ({ date: '2026-11-26', day: 'thursday', time });

function show(data: Week, today: SchoolNow, teacher = true) {
  render(
    <MantineProvider>
      <MemoryRouter>
        <TodayLessons week={data} today={today} teacher={teacher} />
      </MemoryRouter>
    </MantineProvider>,
  );
}

afterEach(cleanup);

describe("a teacher's today", () => {
  it("lists today's lessons only, marks the one going on, and links each taught one to its register for today", () => {
    show(week(), thursday('08:55'));
    const items = within(screen.getByRole('list', { name: 'Today’s lessons' })).getAllByRole('listitem');
    expect(items).toHaveLength(3);
    expect(items.map((item) => item.getAttribute('aria-current'))).toEqual([null, 'time', null]);
    expect(items[1]?.textContent).toContain('Now');
    const register = screen.getAllByRole('link', { name: /^Take register/ });
    expect(register.map((link) => link.getAttribute('href'))).toEqual([
      '/register/lessons/l1?date=2026-11-26',
      '/register/lessons/l2?date=2026-11-26',
    ]);
    expect(items[2]?.textContent).toContain('You are away: Theo Teacher covers');
  });

  it('marks the next lesson between lessons, and none after the last', () => {
    show(week(), thursday('07:30'));
    expect(screen.getAllByRole('listitem')[0]?.textContent).toContain('Next');
    expect(screen.queryByText('Now')).toBeNull();
    cleanup();
    show(week(), thursday('15:00'));
    expect(screen.queryByText('Now')).toBeNull();
    expect(screen.queryByText('Next')).toBeNull();
  });

  it('says a holiday, whose lessons the server has left out', () => {
    show(week({ lessons: [friday], dates: [{ day: 'thursday', date: '2026-11-26', holidays: [{ id: 'h1', title: 'Founders day' }] }] }), thursday('09:00'));
    expect(screen.getByText('Holiday: Founders day')).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('says a day the school does not work', () => {
    show(week(), { date: '2026-11-28', day: 'saturday', time: '09:00' });
    expect(screen.getByRole('status').textContent).toBe('No school today.');
  });
});

describe("a student's today", () => {
  it('names the teacher and offers no register', () => {
    show(week({ lessons: [first] }), thursday('08:10'), false);
    expect(screen.getByRole('listitem').textContent).toContain('Maths with Tess Teacher');
    expect(screen.queryByRole('link')).toBeNull();
  });
});
