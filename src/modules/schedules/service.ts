import type { FastifyRequest } from 'fastify';
import { AppError, badRequest, type ErrorDetail, isUniqueViolation, notFound } from '../../lib/errors.js';
import type { ActivityEntry } from '../../plugins/activity-log.js';
import * as queries from './queries.js';
import type { KnownReferences, NewLesson } from './queries.js';
import type { LessonInput, LessonView, UpdateLessonBody } from './schemas.js';

/** What a lesson write needs of the request: its change runner and, after a lost race, a read handle. */
type Requester = Pick<FastifyRequest, 'change' | 'tenantDb'>;

export type ConflictKind = 'teacher' | 'class' | 'room';
const KINDS: ConflictKind[] = ['teacher', 'class', 'room'];

/** A lesson (item `index` of a batch) and the one already in its slot for the same teacher, class or room. */
interface TimetableClash {
  index: number;
  kind: ConflictKind;
  lesson: LessonView;
}

/** Two items of one batch that want the same teacher, class or room in one slot. */
interface BatchClash {
  index: number;
  kind: ConflictKind;
  withIndex: number;
}

type Clash = TimetableClash | BatchClash;

function toNewLesson(input: LessonInput): NewLesson {
  const { classId, subjectId, teacherId, day, period } = input;
  return { classId, subjectId, teacherId, day, period, roomId: input.roomId ?? null, pinned: input.pinned ?? false };
}

const distinct = <T>(values: T[]) => [...new Set(values)];

function referenceIds(lessons: NewLesson[]): queries.ReferenceIds {
  return {
    classIds: distinct(lessons.map((lesson) => lesson.classId)),
    subjectIds: distinct(lessons.map((lesson) => lesson.subjectId)),
    teacherIds: distinct(lessons.map((lesson) => lesson.teacherId)),
    roomIds: distinct(lessons.flatMap((lesson) => (lesson.roomId ? [lesson.roomId] : []))),
  };
}

interface LessonProblem extends ErrorDetail {
  field: keyof NewLesson;
}

/** Checks lessons against the bell schedule and the records they name, found once for a whole batch. */
function lessonChecker(known: KnownReferences) {
  const classes = new Set(known.classes);
  const subjects = new Set(known.subjects);
  const teachers = new Set(known.teachers);
  const rooms = new Set(known.rooms);
  return (lesson: NewLesson): LessonProblem[] => {
    const problems: LessonProblem[] = [];
    if (!classes.has(lesson.classId)) problems.push({ field: 'classId', message: 'is not a class of this institution' });
    if (!subjects.has(lesson.subjectId)) problems.push({ field: 'subjectId', message: 'is not a subject of this institution' });
    if (!teachers.has(lesson.teacherId)) problems.push({ field: 'teacherId', message: 'is not an active teacher of this institution' });
    if (lesson.roomId !== null && !rooms.has(lesson.roomId)) problems.push({ field: 'roomId', message: 'is not a room of this institution' });
    if (!known.days.includes(lesson.day)) {
      problems.push({ field: 'day', message: `is not a working day of the bell schedule (${known.days.join(', ')})` });
    }
    if (lesson.period > known.periodCount) {
      problems.push({ field: 'period', message: `is not a period of the bell schedule (1-${known.periodCount})` });
    }
    return problems;
  };
}

function invalidLesson(problems: ErrorDetail[]) {
  return badRequest(`Invalid lesson: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
}

function owner(kind: ConflictKind, lesson: Pick<NewLesson, 'teacherId' | 'classId' | 'roomId'>): string | null {
  if (kind === 'teacher') return lesson.teacherId;
  return kind === 'class' ? lesson.classId : lesson.roomId;
}

const slotKey = (kind: ConflictKind, who: string, lesson: Pick<NewLesson, 'day' | 'period'>) => `${kind} ${who} ${lesson.day} ${lesson.period}`;

/** The lessons already in the timetable that each lesson would share a teacher, class or room slot with. */
async function clashesWithTimetable(db: FastifyRequest['tenantDb'], lessons: NewLesson[], exceptId?: string): Promise<TimetableClash[]> {
  const ids = referenceIds(lessons);
  const slots = { days: distinct(lessons.map((lesson) => lesson.day)), ...ids };
  const booked = new Map<string, LessonView>();
  for (const view of await queries.lessonsSharingSlots(db, slots, exceptId)) {
    const held = { teacherId: view.teacher.id, classId: view.class.id, roomId: view.room?.id ?? null };
    for (const kind of KINDS) {
      const who = owner(kind, held);
      if (who) booked.set(slotKey(kind, who, view), view);
    }
  }
  return lessons.flatMap((lesson, index) =>
    KINDS.flatMap((kind) => {
      const who = owner(kind, lesson);
      const view = who ? booked.get(slotKey(kind, who, lesson)) : undefined;
      return view ? [{ index, kind, lesson: view }] : [];
    }),
  );
}

/** Items of a batch that want a teacher, class or room slot an earlier item already takes. */
function clashesWithinBatch(lessons: NewLesson[]): BatchClash[] {
  const taken = new Map<string, number>();
  return lessons.flatMap((lesson, index) =>
    KINDS.flatMap((kind) => {
      const who = owner(kind, lesson);
      if (!who) return [];
      const key = slotKey(kind, who, lesson);
      const first = taken.get(key);
      if (first === undefined) {
        taken.set(key, index);
        return [];
      }
      return [{ index, kind, withIndex: first }];
    }),
  );
}

/** 409 SCHEDULE_CONFLICT `{conflicts}`; a single lesson's conflicts carry no index. */
function scheduleConflict(clashes: Clash[], batch: boolean): AppError {
  const sorted = [...clashes].sort((a, b) => a.index - b.index || KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
  const conflicts = batch ? sorted : sorted.map(({ index: _index, ...clash }) => clash);
  const kinds = distinct(sorted.map((clash) => clash.kind)).join(', ');
  const message = batch
    ? `${distinct(sorted.map((clash) => clash.index)).length} of the lessons would double-book a ${kinds}; nothing was created`
    : `This slot is already taken for the ${kinds}`;
  return new AppError(409, 'SCHEDULE_CONFLICT', message, undefined, { conflicts });
}

/**
 * Runs a lesson write. The unique slot constraints decide races: a write that loses one rolls
 * back, and is answered with the lessons it clashed with, looked up after the rollback. Should
 * those be gone by then (deleted meanwhile), the write is tried again.
 */
async function claimingSlots<T>(write: () => Promise<T>, clashes: () => Promise<Clash[]>, batch: boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const found = await clashes();
      if (found.length > 0 || attempt === 3) throw scheduleConflict(found, batch);
    }
  }
}

function lessonEntry(action: string, view: LessonView, details: Record<string, unknown> = {}): ActivityEntry {
  return {
    action,
    targetType: 'lesson',
    targetId: view.id,
    targetName: `${view.class.name} ${view.subject.name}, ${view.day} period ${view.period}`,
    details: {
      classId: view.class.id,
      subjectId: view.subject.id,
      teacherId: view.teacher.id,
      roomId: view.room?.id ?? null,
      day: view.day,
      period: view.period,
      pinned: view.pinned,
      ...details,
    },
  };
}

export async function getLesson(db: FastifyRequest['tenantDb'], id: string): Promise<LessonView> {
  const lesson = await queries.findLesson(db, id);
  if (!lesson) throw notFound('Lesson');
  return lesson;
}

export function createLesson(request: Requester, input: LessonInput): Promise<LessonView> {
  const lesson = toNewLesson(input);
  return claimingSlots(
    () =>
      request.change(async ({ db, log }) => {
        const problems = lessonChecker(await queries.knownReferences(db, referenceIds([lesson])))(lesson);
        if (problems.length > 0) throw invalidLesson(problems);
        const [{ id }] = (await queries.insertLessons(db, [lesson])) as [{ id: string }];
        const view = await getLesson(db, id);
        await log(lessonEntry('create', view));
        return view;
      }),
    () => clashesWithTimetable(request.tenantDb, [lesson]),
    false,
  );
}

/** Moves a lesson (day, period) or gives it another class, subject, teacher or room. */
export function updateLesson(request: Requester, id: string, input: UpdateLessonBody): Promise<LessonView> {
  let moved: NewLesson | undefined;
  return claimingSlots(
    () =>
      request.change(async ({ db, log }) => {
        const current = await queries.lockLesson(db, id);
        if (!current) throw notFound('Lesson');
        moved = { ...current, ...input, roomId: input.roomId === undefined ? current.roomId : input.roomId };
        const changed = new Set(Object.keys(input));
        // Only what changes is checked: a lesson of a teacher since deactivated may still move.
        const problems = lessonChecker(await queries.knownReferences(db, referenceIds([moved])))(moved).filter((p) => changed.has(p.field));
        if (problems.length > 0) throw invalidLesson(problems);
        await queries.updateLesson(db, id, moved);
        const view = await getLesson(db, id);
        await log(lessonEntry('update', view, { fields: [...changed] }));
        return view;
      }),
    () => clashesWithTimetable(request.tenantDb, [moved!], id),
    false,
  );
}

export function deleteLesson(request: Requester, id: string): Promise<void> {
  return request.change(async ({ db, log }) => {
    const view = await queries.findLesson(db, id);
    if (!view || !(await queries.deleteLesson(db, id))) throw notFound('Lesson');
    await log(lessonEntry('delete', view));
  });
}

/**
 * Creates all the lessons or none: every invalid item is reported (400, `lessons.<i>.<field>`),
 * then every item that clashes with the timetable or with another item (409, by `index`).
 */
export function createLessons(request: Requester, inputs: LessonInput[]): Promise<{ created: number; lessons: LessonView[] }> {
  const lessons = inputs.map(toNewLesson);
  const allClashes = async (db: FastifyRequest['tenantDb']) => [...clashesWithinBatch(lessons), ...(await clashesWithTimetable(db, lessons))];
  return claimingSlots(
    () =>
      request.change(async ({ db, log }) => {
        const check = lessonChecker(await queries.knownReferences(db, referenceIds(lessons)));
        const problems = lessons.flatMap((lesson, index) =>
          check(lesson).map((problem) => ({ field: `lessons.${index}.${problem.field}`, message: problem.message })),
        );
        if (problems.length > 0) {
          const items = distinct(problems.map((problem) => problem.field.split('.')[1])).length;
          throw badRequest(`${items} of the ${lessons.length} lessons are invalid; nothing was created`, problems);
        }
        const clashes = await allClashes(db);
        if (clashes.length > 0) throw scheduleConflict(clashes, true);
        const inserted = await queries.insertLessons(db, lessons);
        const views = await queries.findLessons(
          db,
          inserted.map((row) => row.id),
        );
        await log({ action: 'bulk_create', targetType: 'lesson', targetName: `${views.length} lessons`, details: { count: views.length } });
        return { created: views.length, lessons: views };
      }),
    () => allClashes(request.tenantDb),
    true,
  );
}

/** Clears a class's timetable except its pinned lessons. */
export function clearClassLessons(request: Requester, classId: string): Promise<{ deleted: number }> {
  return request.change(async ({ db, log }) => {
    const klass = await db.selectFrom('classes').select(['id', 'name']).where('id', '=', classId).executeTakeFirst();
    if (!klass) throw notFound('Class');
    const deleted = await queries.deleteUnpinnedLessons(db, classId);
    await log({ action: 'clear_lessons', targetType: 'class', targetId: klass.id, targetName: klass.name, details: { deleted } });
    return { deleted };
  });
}
