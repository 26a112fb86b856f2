import fc from 'fast-check';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createMember, useSchool } from '../../../test/helpers.js';

/**
 * A random sequence of creates, moves and deletes through the API, over few teachers, classes,
 * rooms and slots so that clashes are common, checked against a model of the timetable: every
 * answer is the one the model predicts (201/200, 409 with the clashing kinds, 400 for a day or
 * period outside the bell schedule), and the database never holds two lessons sharing a
 * teacher, class or room slot.
 */
const ctx = useSchool();
const tenant = () => ctx.app.db.withSchema(ctx.school.schemaName);

let teacherIds: string[];
let classIds: string[];
let roomIds: (string | null)[];
let subjectId: string;

beforeAll(async () => {
  teacherIds = (await Promise.all([1, 2, 3].map(() => createMember(ctx.app, ctx.school, 'teacher')))).map((teacher) => teacher.id);
  const db = tenant();
  subjectId = (await db.insertInto('subjects').values({ name: 'Music' }).returning('id').executeTakeFirstOrThrow()).id;
  const classes = await db
    .insertInto('classes')
    .values(['1A', '1B', '1C'].map((name) => ({ name, grade: 1, section: name.slice(1) })))
    .returning('id')
    .execute();
  classIds = classes.map((row) => row.id);
  const rooms = await db.insertInto('rooms').values([{ name: 'R1' }, { name: 'R2' }]).returning('id').execute();
  roomIds = [...rooms.map((row) => row.id), null];
});

interface ModelLesson {
  id: string;
  classId: string;
  teacherId: string;
  roomId: string | null;
  day: string;
  period: number;
}

type Slot = Omit<ModelLesson, 'id'>;

/** Mostly working days and periods 1-2 (4 slots), sometimes ones the bell schedule lacks. */
const day = fc.oneof({ arbitrary: fc.constantFrom('monday', 'tuesday'), weight: 9 }, { arbitrary: fc.constant('saturday'), weight: 1 });
const period = fc.oneof({ arbitrary: fc.constantFrom(1, 2), weight: 9 }, { arbitrary: fc.constant(9), weight: 1 });
const pick = (n: number) => fc.integer({ min: 0, max: n - 1 });

const command = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('create' as const), c: pick(3), t: pick(3), r: pick(3), day, period }), weight: 4 },
  {
    arbitrary: fc.record(
      { op: fc.constant('move' as const), k: fc.nat(), day, period, t: pick(3), r: pick(3), c: pick(3) },
      { requiredKeys: ['op', 'k'] },
    ),
    weight: 3,
  },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), k: fc.nat() }), weight: 1 },
);

const KINDS = ['teacher', 'class', 'room'] as const;

/** What the model says about putting `slot` into the timetable (leaving out lesson `exceptId`). */
function predict(model: ModelLesson[], slot: Slot, exceptId?: string) {
  if (!['monday', 'tuesday', 'wednesday', 'thursday', 'friday'].includes(slot.day) || slot.period > 8) return { status: 400, conflicts: [] };
  const conflicts = model
    .filter((other) => other.id !== exceptId && other.day === slot.day && other.period === slot.period)
    .flatMap((other) =>
      KINDS.filter((kind) =>
        kind === 'teacher' ? other.teacherId === slot.teacherId : kind === 'class' ? other.classId === slot.classId : slot.roomId !== null && other.roomId === slot.roomId,
      ).map((kind) => ({ kind, id: other.id })),
    )
    .sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
  return { status: conflicts.length > 0 ? 409 : 0, conflicts };
}

async function doubleBookings() {
  const { rows } = await sql<{ kind: string; count: number }>`
    select 'teacher' as kind, count(*)::int as count from ${sql.table(`${ctx.school.schemaName}.lessons`)} group by "teacherId", day, period having count(*) > 1
    union all
    select 'class', count(*)::int from ${sql.table(`${ctx.school.schemaName}.lessons`)} group by "classId", day, period having count(*) > 1
    union all
    select 'room', count(*)::int from ${sql.table(`${ctx.school.schemaName}.lessons`)} where "roomId" is not null group by "roomId", day, period having count(*) > 1
  `.execute(ctx.app.db);
  return rows;
}

describe('the timetable under any sequence of creates, moves and deletes', () => {
  it('answers as the model predicts, never 5xx, and never double-books a teacher, class or room', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 25 }), async (commands) => {
        await tenant().deleteFrom('lessons').execute();
        const model: ModelLesson[] = [];
        for (const step of commands) {
          if (step.op === 'create') {
            const slot: Slot = { classId: classIds[step.c]!, teacherId: teacherIds[step.t]!, roomId: roomIds[step.r]!, day: step.day, period: step.period };
            const expected = predict(model, slot);
            const response = await call(ctx.app, 'POST', '/api/schedules', { token: ctx.school.adminToken, body: { ...slot, subjectId } });
            expect([201, 400, 409], response.body).toContain(response.statusCode);
            expect(response.statusCode, response.body).toBe(expected.status || 201);
            if (response.statusCode === 201) model.push({ ...slot, id: response.data.id });
            if (response.statusCode === 409) {
              expect(response.data.conflicts.map((c: { kind: string; lesson: { id: string } }) => ({ kind: c.kind, id: c.lesson.id }))).toEqual(expected.conflicts);
            }
          } else if (model.length > 0) {
            const index = step.k % model.length;
            const target = model[index]!;
            if (step.op === 'delete') {
              const response = await call(ctx.app, 'DELETE', `/api/schedules/${target.id}`, { token: ctx.school.adminToken });
              expect(response.statusCode, response.body).toBe(200);
              model.splice(index, 1);
              continue;
            }
            const changes = {
              ...(step.day !== undefined ? { day: step.day } : {}),
              ...(step.period !== undefined ? { period: step.period } : {}),
              ...(step.t !== undefined ? { teacherId: teacherIds[step.t]! } : {}),
              ...(step.c !== undefined ? { classId: classIds[step.c]! } : {}),
              ...(step.r !== undefined ? { roomId: roomIds[step.r]! } : {}),
            };
            if (Object.keys(changes).length === 0) continue;
            const moved = { ...target, ...changes };
            const expected = predict(model, moved, target.id);
            const response = await call(ctx.app, 'PATCH', `/api/schedules/${target.id}`, { token: ctx.school.adminToken, body: changes });
            expect([200, 400, 409], response.body).toContain(response.statusCode);
            expect(response.statusCode, response.body).toBe(expected.status || 200);
            if (response.statusCode === 200) model[index] = moved;
          }
        }
        expect(await doubleBookings()).toEqual([]);
        const rows = await tenant().selectFrom('lessons').select(['id', 'classId', 'teacherId', 'roomId', 'day', 'period']).execute();
        const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
        expect(rows.sort(byId)).toEqual([...model].sort(byId));
      }),
      { numRuns: 40 },
    );
  });
});
