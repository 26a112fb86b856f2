import type { TenantDb } from '../../db/tenant-schema.js';
import { badRequest } from '../../lib/errors.js';

/** A teacher id given in a request, with the field that carries it (`homeroomTeacherId`, `3.teacherId`). */
export interface TeacherField {
  field: string;
  id: string;
}

/**
 * Every id must be an active teacher of the institution: otherwise 400 naming each field that
 * carries one that is not. One query for the whole set.
 */
export async function assertActiveTeachers(db: TenantDb, fields: TeacherField[]): Promise<void> {
  if (fields.length === 0) return;
  const ids = [...new Set(fields.map((field) => field.id))];
  const rows = await db.selectFrom('users').select('id').where('id', 'in', ids).where('role', '=', 'teacher').where('isActive', '=', true).execute();
  const teachers = new Set(rows.map((row) => row.id));
  const details = fields
    .filter((field) => !teachers.has(field.id))
    .map((field) => ({ field: field.field, message: 'must be an active teacher of this institution' }));
  if (details.length > 0) throw badRequest('Not an active teacher of this institution', details);
}
