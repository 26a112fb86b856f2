import { type Static, Type } from 'typebox';
import { Nullable, PageQuery, Paginated, Timestamp, Uuid } from '../../lib/schemas.js';

const SubjectName = Type.String({ minLength: 1, maxLength: 100, description: 'Unique in the institution, ignoring case; trimmed' });
const SubjectCode = Type.String({
  minLength: 1,
  maxLength: 20,
  description: 'A short code such as "MATH"; unique in the institution, ignoring case; trimmed',
});
const Color = Type.String({ pattern: '^#[0-9A-Fa-f]{6}$', description: '#RRGGBB, for timetables; stored in upper case' });

const example = {
  id: '7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f',
  name: 'Mathematics',
  code: 'MATH',
  color: '#1E88E5',
  createdAt: '2026-09-01T08:00:00.000Z',
  updatedAt: '2026-09-01T08:00:00.000Z',
};

export const SubjectView = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    code: Nullable(Type.String()),
    color: Nullable(Type.String()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { examples: [example] },
);

export const CreateSubjectBody = Type.Object(
  { name: SubjectName, code: Type.Optional(SubjectCode), color: Type.Optional(Color) },
  { additionalProperties: false, examples: [{ name: 'Mathematics', code: 'MATH', color: '#1e88e5' }] },
);

/** `null` clears the code or the color. */
export const UpdateSubjectBody = Type.Object(
  { name: Type.Optional(SubjectName), code: Type.Optional(Nullable(SubjectCode)), color: Type.Optional(Nullable(Color)) },
  { additionalProperties: false, minProperties: 1, examples: [{ code: null, color: '#43A047' }] },
);

export const ListSubjectsQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 100, description: 'Matches name or code, ignoring case' })), ...PageQuery },
  { additionalProperties: false },
);

export const SubjectList = Paginated(SubjectView);

export type CreateSubjectBody = Static<typeof CreateSubjectBody>;
export type UpdateSubjectBody = Static<typeof UpdateSubjectBody>;
export type ListSubjectsQuery = Static<typeof ListSubjectsQuery>;
