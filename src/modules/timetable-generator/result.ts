import type { SchoolProblem } from './problem-from-school.js';
import type { GeneratedLesson, JobResult, UnplacedLessons } from './tables.js';
import type { SolverMessage } from './worker.js';

type Done = Extract<SolverMessage, { type: 'done' }>;

/** The solver's placements as lessons of the CRM, and what it left out, counted per curriculum row. */
export function jobResult(built: SchoolProblem, done: Done): JobResult {
  const { problem, rows, activityRow, kept, days } = built;
  const left = new Set(done.unplaced);
  const lessons: GeneratedLesson[] = [];
  const missing = new Map<number, number>();
  problem.activities.forEach((activity, a) => {
    const row = rows[activityRow[a]!];
    if (kept[a] || !row) return;
    const start = done.start[a]!;
    if (left.has(a) || start < 0) {
      missing.set(activityRow[a]!, (missing.get(activityRow[a]!) ?? 0) + activity.duration);
      return;
    }
    const day = days[Math.floor(start / problem.hours)]!;
    const room = done.room[a]!;
    for (let i = 0; i < activity.duration; i++) {
      lessons.push({
        classId: row.classId,
        subjectId: row.subjectId,
        teacherId: row.teacherId,
        roomId: room >= 0 ? built.roomIds[room]! : null,
        day,
        period: (start % problem.hours) + 1 + i,
      });
    }
  });
  const unplaced: UnplacedLessons[] = [...missing].map(([index, count]) => {
    const row = rows[index]!;
    const where = row.roomId ? `, room ${problem.rooms[built.roomIds.indexOf(row.roomId)]}` : '';
    return {
      classId: row.classId,
      subjectId: row.subjectId,
      teacherId: row.teacherId,
      count,
      reason:
        `No period was found where ${problem.teachers[built.teacherIds.indexOf(row.teacherId)]}, class ${row.className}${where} ` +
        `are all free within the limits set (availability, lessons a day, compact days)`,
    };
  });
  return { lessons, unplaced, score: { hard: done.hard, soft: done.soft } };
}
