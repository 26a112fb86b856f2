import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAssignment } from './check.js';
import { compile } from './compile.js';
import { emptyProblem, type Problem } from './problem.js';
import { Rng } from './rng.js';
import { solve } from './solve.js';
import { State } from './state.js';

interface SchoolShape {
  seed: number;
  days: number;
  hours: number;
  teachers: number;
  subgroups: number;
  rooms: number;
  fill: number;
}

/**
 * A random school built around a planted timetable: each slot holds activities with distinct
 * teachers, subgroups and rooms, and every constraint added is one the plant satisfies.
 */
function plantedSchool(shape: SchoolShape): { problem: Problem; plant: Int32Array } {
  const rng = new Rng(shape.seed);
  const { days, hours } = shape;
  const p = emptyProblem(days, hours);
  p.teachers = Array.from({ length: shape.teachers }, (_, i) => `T${i}`);
  p.subgroups = Array.from({ length: shape.subgroups }, (_, i) => `G${i}`);
  p.rooms = Array.from({ length: shape.rooms }, (_, i) => `R${i}`);
  const plant: number[] = [];
  const busy = new Set<string>();
  for (let d = 0; d < days; d++) {
    for (let h = 0; h < hours; h++) {
      const slot = d * hours + h;
      for (let k = 0; k < shape.teachers; k++) {
        if (rng.next() > shape.fill) continue;
        const duration = h + 1 < hours && rng.next() < 0.2 ? 2 : 1;
        const t = rng.int(shape.teachers);
        const g = rng.int(shape.subgroups);
        const r = rng.int(shape.rooms);
        const cells = Array.from({ length: duration }, (_, x) => slot + x);
        if (cells.some((s) => busy.has(`t${t}:${s}`) || busy.has(`g${g}:${s}`) || busy.has(`r${r}:${s}`))) continue;
        for (const s of cells) ['t' + t, 'g' + g, 'r' + r].forEach((x) => busy.add(`${x}:${s}`));
        const withRoom = rng.next() < 0.5;
        p.activities.push({
          id: p.activities.length + 1,
          duration,
          teachers: [t],
          subgroups: [g],
          rooms: withRoom ? [...new Set([r, rng.int(shape.rooms)])] : null,
          roomWeight: withRoom ? (rng.next() < 0.7 ? 100 : 60) : 0,
        });
        plant.push(slot);
      }
    }
  }
  const slots = days * hours;
  for (let t = 0; t < shape.teachers; t++) {
    const free = Array.from({ length: slots }, (_, s) => s).filter((s) => !busy.has(`t${t}:${s}`) && rng.next() < 0.3);
    p.unavailable.push({ kind: 'teacher', index: t, slots: free, weight: rng.next() < 0.8 ? 100 : 50 });
    const perDay = Array.from({ length: days }, (_, d) => Array.from({ length: hours }, (_, h) => busy.has(`t${t}:${d * hours + h}`)).filter(Boolean).length);
    p.limits.push({ kind: 'maxHoursDaily', person: t, value: Math.max(...perDay) + rng.int(2), weight: 100 });
    p.limits.push({ kind: 'maxGapsPerWeek', person: t, value: rng.int(3), weight: 40 });
    p.limits.push({ kind: 'maxRoomChangesPerDay', person: t, value: rng.int(2), weight: 15 });
  }
  for (let g = 0; g < shape.subgroups; g++) {
    p.limits.push({ kind: 'maxGapsPerDay', person: shape.teachers + g, value: 1, weight: 70 });
    if (rng.next() < 0.5) p.limits.push({ kind: 'maxRoomChangesPerDay', person: shape.teachers + g, value: 0, weight: 5 });
  }
  // Activities of one teacher and subgroup on different planted days must stay on different days.
  const byPair = new Map<string, number[]>();
  p.activities.forEach((a, i) => byPair.set(`${a.teachers[0]}:${a.subgroups[0]}`, [...(byPair.get(`${a.teachers[0]}:${a.subgroups[0]}`) ?? []), i]));
  for (const acts of byPair.values()) {
    const planted = new Set(acts.map((a) => Math.floor(plant[a]! / hours)));
    if (acts.length > 1) p.minDays.push({ activities: acts, minDays: 1, weight: planted.size === acts.length ? 100 : 80 });
  }
  if (p.activities.length > 0) p.preferredStarts.push({ activity: 0, slots: [plant[0]!], weight: 100 });
  if (p.activities.length > 1) p.preferredStarts.push({ activity: 1, slots: [plant[1]!, (plant[1]! + 1) % slots], weight: 75 });
  return { problem: p, plant: Int32Array.from(plant) };
}

/**
 * Compact classes (no gaps, no late beginning, both hard) around a planted week: each class's day
 * is its first few hours, every hour taken by a teacher free then, and each (class, teacher) pair's
 * lessons are at most one a day where the plant has them so (hard min days).
 */
function compactSchool(seed: number, classes: number, teachers: number): Problem {
  const rng = new Rng(seed);
  const p = emptyProblem(5, 7);
  p.teachers = Array.from({ length: teachers }, (_, i) => `T${i}`);
  p.subgroups = Array.from({ length: classes }, (_, i) => `C${i}`);
  const busy = new Set<string>();
  const pairs = new Map<string, { activities: number[]; days: Set<number> }>();
  for (let g = 0; g < classes; g++) {
    for (let d = 0; d < p.days; d++) {
      const length = 5 + rng.int(p.hours - 4);
      for (let h = 0; h < length; h++) {
        const slot = d * p.hours + h;
        const free = p.teachers.map((_, t) => t).filter((t) => !busy.has(`${t}:${slot}`));
        const t = free[rng.int(free.length)]!;
        busy.add(`${t}:${slot}`);
        const pair = pairs.get(`${g}:${t}`) ?? { activities: [], days: new Set<number>() };
        pair.activities.push(p.activities.length);
        pair.days.add(d);
        pairs.set(`${g}:${t}`, pair);
        p.activities.push({ id: p.activities.length, duration: 1, teachers: [t], subgroups: [g], rooms: null, roomWeight: 0 });
      }
    }
    p.limits.push({ kind: 'maxGapsPerDay', person: teachers + g, value: 0, weight: 100 }, { kind: 'maxBeginningsAtSecondHour', person: teachers + g, value: 0, weight: 100 });
  }
  for (const { activities, days } of pairs.values()) {
    if (activities.length > 1) p.minDays.push({ activities, minDays: 1, weight: days.size === activities.length ? 100 : 20 });
  }
  return p;
}

const shapes = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  days: fc.integer({ min: 3, max: 5 }),
  hours: fc.integer({ min: 4, max: 7 }),
  teachers: fc.integer({ min: 2, max: 7 }),
  subgroups: fc.integer({ min: 2, max: 6 }),
  rooms: fc.integer({ min: 2, max: 5 }),
  fill: fc.double({ min: 0.3, max: 0.8, noNaN: true }),
});

describe('incremental scoring', () => {
  it('equals a full recomputation by the checker after random move sequences', () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const { problem } = plantedSchool(shape);
        const c = compile(problem);
        const st = new State(c);
        const rng = new Rng(shape.seed ^ 0x5eed);
        for (let step = 0; step < 200; step++) {
          const a = rng.int(Math.max(1, c.activities));
          if (c.activities === 0) break;
          const size = c.domainStart[a + 1]! - c.domainStart[a]!;
          st.unplace(a);
          if (size > 0 && rng.next() < 0.9) {
            const s = c.domain[c.domainStart[a]! + rng.int(size)]!;
            st.place(a, s, rng.next() < 0.5 ? st.bestRoom(a, s) : -1);
          }
          if (step % 20 === 0 || step === 199) {
            const judged = checkAssignment(problem, { start: st.start, room: st.room });
            expect(st.hard).toBe(judged.hard);
            expect(st.soft).toBeCloseTo(judged.soft, 6);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('room changes', () => {
  it('count, per day, each hour whose room differs from the last room before it, a class room standing for no room', () => {
    const p = emptyProblem(2, 6);
    p.teachers = ['T'];
    p.subgroups = ['A', 'B'];
    p.rooms = ['Lab', 'Gym'];
    const lesson = (subgroup: number, rooms: number[] | null, duration = 1) => p.activities.push({ id: p.activities.length, duration, teachers: [0], subgroups: [subgroup], rooms, roomWeight: 100 });
    // Day 0: Lab (2 hours), A's room, free hour, Lab, B's room: 3 changes. Day 1: Gym, Gym: none.
    lesson(0, [0], 2);
    lesson(0, null);
    lesson(1, [0]);
    lesson(1, null);
    lesson(0, [1]);
    lesson(1, [1]);
    p.limits.push({ kind: 'maxRoomChangesPerDay', person: 0, value: 1, weight: 10 });
    const start = Int32Array.from([0, 2, 4, 5, 6, 7]);
    const room = Int32Array.from([0, -1, 0, -1, 1, 1]);
    const st = new State(compile(p));
    start.forEach((s, a) => st.place(a, s, room[a]!));
    expect(Array.from(st.dayChanges.slice(0, 2))).toEqual([3, 0]);
    expect(st.soft).toBe(20);
    expect(checkAssignment(p, { start, room }).byKind).toEqual({ 'teacher maxRoomChangesPerDay': { hard: 0, soft: 20 } });
  });
});

describe('solve', () => {
  it('solves random schools built around a planted timetable with no hard violation, and the checker agrees', () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const { problem } = plantedSchool(shape);
        // Bounded by moves, not time, so a busy machine cannot fail it.
        const result = solve(problem, { timeLimitMs: 600_000, maxMoves: 200_000, seed: shape.seed, stopAtFirstFeasible: true });
        expect(result.unplaced).toEqual([]);
        expect(result.hard).toBe(0);
        const judged = checkAssignment(problem, result.assignment);
        expect(judged.hard).toBe(0);
        expect(judged.soft).toBeCloseTo(result.soft, 6);
      }),
      { numRuns: 30 },
    );
  });

  it('solves compact classes whose teachers are busy most of the week within a few thousand steps', () => {
    // Without day shapes (shapes.ts), 6 of these 12 took from 42,000 to 375,000 steps.
    for (let seed = 1; seed <= 12; seed++) {
      const problem = compactSchool(seed, 7, 7);
      const result = solve(problem, { timeLimitMs: 60_000, maxMoves: 30_000, seed, stopAtFirstFeasible: true });
      expect(result.unplaced, `seed ${seed}`).toEqual([]);
      expect(checkAssignment(problem, result.assignment).hard).toBe(0);
    }
  });

  it('gives the same timetable for the same seed and input', () => {
    const { problem } = plantedSchool({ seed: 7, days: 5, hours: 6, teachers: 6, subgroups: 5, rooms: 3, fill: 0.9 });
    const run = () => solve(problem, { timeLimitMs: 10_000, seed: 42, maxMoves: 3_000 });
    const first = run();
    const second = run();
    expect(Array.from(second.assignment.start)).toEqual(Array.from(first.assignment.start));
    expect(Array.from(second.assignment.room)).toEqual(Array.from(first.assignment.room));
  });

  it('reports progress and leaves out what cannot be placed', () => {
    const p = emptyProblem(1, 2);
    p.teachers = ['T'];
    p.subgroups = ['G'];
    p.activities = [1, 2, 3].map((id) => ({ id, duration: 1, teachers: [0], subgroups: [0], rooms: null, roomWeight: 0 }));
    const seen: number[] = [];
    const result = solve(p, { timeLimitMs: 300, onProgress: (progress) => seen.push(progress.total) });
    expect(result.unplaced).toHaveLength(1);
    expect(result.hard).toBe(0);
    expect(result.firstFeasibleMs).toBeNull();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((t) => t === 3)).toBe(true);
  });
});
