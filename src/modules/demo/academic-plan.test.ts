import { describe, expect, it } from 'vitest';
import { colourLessons, DEMO_SUBJECTS, demoLessons } from './academic-plan.js';

describe('the demo timetable plan', () => {
  it('gives 8 classes 28-32 periods a week and places them with no class or teacher twice in one slot', () => {
    const lessons = demoLessons(8);
    const perClass = Array.from({ length: 8 }, (_, i) => lessons.filter((lesson) => lesson.classIndex === i).length);
    for (const count of perClass) expect(count).toBeGreaterThanOrEqual(28);
    for (const count of perClass) expect(count).toBeLessThanOrEqual(32);
    expect(DEMO_SUBJECTS).toHaveLength(12);

    const slots = colourLessons(lessons, 40);
    const seen = new Set<string>();
    lessons.forEach((lesson, index) => {
      const slot = slots[index]!;
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(slot).toBeLessThan(40);
      for (const key of [`class ${lesson.classIndex} ${slot}`, `teacher ${lesson.teacherIndex} ${slot}`]) {
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    });
  });

  it('refuses a week too short for the busiest teacher', () => {
    expect(() => colourLessons(demoLessons(8), 20)).toThrow(/more than 20 lessons/);
  });
});
