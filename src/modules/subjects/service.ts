import { assertUnreferenced } from '../../db/references.js';
import type { TenantDb } from '../../db/tenant-schema.js';
import { notFound } from '../../lib/errors.js';
import { changesBetween, keepingUnique, trimmedText } from '../../lib/record-fields.js';
import type { ChangeContext, ChangeRunner } from '../../plugins/activity-log.js';
import * as queries from './queries.js';
import type { CreateSubjectBody, UpdateSubjectBody } from './schemas.js';

type Subject = NonNullable<Awaited<ReturnType<typeof queries.findSubject>>>;

/** The unique indexes of 0003_academic_structure and the field each guards. */
const UNIQUE_FIELDS = { subjects_name_key: 'name', subjects_code_key: 'code' };

/** Name and code trimmed (a blank one refused), the color in upper case; fields not given stay out. */
function subjectFields<T extends UpdateSubjectBody>(input: T): T {
  const fields = trimmedText(input, ['name', 'code']);
  return fields.color ? { ...fields, color: fields.color.toUpperCase() } : fields;
}

function logSubject(log: ChangeContext['log'], action: string, subject: Subject, details: Record<string, unknown>) {
  return log({ action, targetType: 'subject', targetId: subject.id, targetName: subject.name, details });
}

export async function getSubject(db: TenantDb, id: string) {
  const subject = await queries.findSubject(db, id);
  if (!subject) throw notFound('Subject');
  return subject;
}

export function createSubject(context: ChangeRunner, input: CreateSubjectBody) {
  const fields = { code: null, color: null, ...subjectFields(input) };
  return keepingUnique('subject', UNIQUE_FIELDS, fields, () =>
    context.change(async ({ db, log }) => {
      const subject = await queries.insertSubject(db, fields);
      await logSubject(log, 'create', subject, { name: subject.name, code: subject.code, color: subject.color });
      return subject;
    }),
  );
}

export function updateSubject(context: ChangeRunner, id: string, input: UpdateSubjectBody) {
  const fields = subjectFields(input);
  return keepingUnique('subject', UNIQUE_FIELDS, fields, () =>
    context.change(async ({ db, log }) => {
      const before = await queries.findSubject(db, id, true);
      if (!before) throw notFound('Subject');
      const subject = await queries.updateSubject(db, id, fields);
      await logSubject(log, 'update', subject, { changes: changesBetween(before, subject, fields) });
      return subject;
    }),
  );
}

/** A subject still in a curriculum or the timetable is 409 IN_USE with the counts, and stays. */
export function deleteSubject(context: ChangeRunner, id: string) {
  return context.change(async ({ db, log }) => {
    const subject = await queries.findSubject(db, id, true);
    if (!subject) throw notFound('Subject');
    await assertUnreferenced(db, 'subjects', id, `The subject "${subject.name}"`);
    await queries.deleteSubject(db, id);
    await logSubject(log, 'delete', subject, { name: subject.name, code: subject.code, color: subject.color });
  });
}
