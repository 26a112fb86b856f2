import { describe, expect, it } from 'vitest';
import { clashesAt, type Day, type Lesson, lessonsBySlot } from './lessons';

const DAYS: Day[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];

/** A school's week of 1,400 lessons: 35 classes of 40 periods, teachers and rooms each busy once a slot. */
function bigSchool(): Lesson[] {
  const lessons: Lesson[] = [];
  for (let c = 0; c < 35; c++) {
    DAYS.forEach((day, d) => {
      for (let period = 1; period <= 8; period++) {
        const teacher = (c + d + period) % 35;
        lessons.push({
          id: `l-${c}-${day}-${period}`,
          day,
          period,
          start: '08:00',
          end: '08:45',
          pinned: false,
          subject: { id: `s${period}`, name: `Subject ${period}`, color: null },
          class: { id: `c${c}`, name: `Class ${c}` },
          teacher: { id: `t${teacher}`, name: `Teacher ${teacher}` },
          room: { id: `r${teacher}`, name: `Room ${teacher}` },
        });
      }
    });
  }
  return lessons;
}

describe('clashes with a whole school', () => {
  it('finds what is in the way, as the server would: teacher, class and room, never the lesson itself', () => {
    const lessons = bigSchool();
    const slots = lessonsBySlot(lessons);
    const moved = lessons[0]!;
    expect(clashesAt(moved, moved.day, moved.period, slots)).toEqual([]);
    const kinds = clashesAt(moved, 'monday', 2, slots).map((conflict) => `${conflict.kind}:${conflict.lesson.id}`);
    // Class 0 has its own Monday period 2; teacher 0 (and their room) teach class 34 then.
    expect(kinds.sort()).toEqual(['class:l-0-monday-2', 'room:l-34-monday-2', 'teacher:l-34-monday-2']);
  });

  it('works out every cell of a drag over 1,400 lessons in a few milliseconds', () => {
    const lessons = bigSchool();
    expect(lessons).toHaveLength(1400);
    const started = performance.now();
    const slots = lessonsBySlot(lessons);
    for (const moved of lessons.slice(0, 20)) {
      for (const day of DAYS) for (let period = 1; period <= 8; period++) clashesAt(moved, day, period, slots);
    }
    // Twenty drags' worth of cells; one drag starting must not be felt.
    expect(performance.now() - started).toBeLessThan(200);
  });
});
