import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAssignment } from '../solver/check.js';
import { solve } from '../solver/solve.js';
import { readFet } from './read-fet.js';
import { fromFetResult, toFetResult } from './result.js';
import { parseXml } from './xml.js';

const source = readFileSync(new URL('./fixtures/small-school.fet', import.meta.url), 'utf8');

describe('FET reader', () => {
  it('parses elements, text and entities', () => {
    const doc = parseXml('<?xml version="1.0"?><!-- c --><a x="1"><b>Fish &amp; chips</b><c/></a>');
    expect(doc.children[0]!.children.map((c) => [c.name, c.text])).toEqual([
      ['b', 'Fish & chips'],
      ['c', ''],
    ]);
  });

  it('maps days, hours, the students hierarchy, activities and constraints, counting the ignored ones', () => {
    const { problem, dayNames, hourNames, ignoredConstraints } = readFet(source);
    expect(dayNames).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']);
    expect(hourNames).toHaveLength(5);
    expect(problem.subgroups.sort()).toEqual(['7a-en', '7a-fr', '7b', '8']);
    // The inactive activity is skipped; a year's activity covers all its subgroups.
    expect(problem.activities).toHaveLength(24);
    const math = problem.activities.find((a) => a.id === 1)!;
    expect(math.subgroups.map((g) => problem.subgroups[g]).sort()).toEqual(['7a-en', '7a-fr', '7b']);
    expect(problem.activities.find((a) => a.id === 11)!.fixed).toEqual({ slot: 0 });
    expect(problem.minDays).toHaveLength(6);
    expect(ignoredConstraints).toEqual({ ConstraintActivitiesSameStartingTime: 1, ConstraintTeacherHomeRoom: 1 });
  });

  it('solves the fixture with no hard violation, and the result file reads back to the same judgement', () => {
    const input = readFet(source);
    const result = solve(input.problem, { timeLimitMs: 5_000, seed: 3 });
    expect(result.hard).toBe(0);
    const file = toFetResult(input, result);
    expect(file.unplaced).toEqual([]);
    expect(file.placed).toHaveLength(24);
    expect(file.placed.find((p) => p.activityId === 11)).toMatchObject({ day: 'Mon', hour: '1' });
    for (const p of file.placed.filter((x) => x.activityId === 20 || x.activityId === 21)) expect(p.room).toBe('Lab');
    const judged = checkAssignment(input.problem, fromFetResult(input, JSON.parse(JSON.stringify(file))));
    expect(judged.hard).toBe(0);
    expect(judged.soft).toBeCloseTo(result.soft, 6);
  });
});
