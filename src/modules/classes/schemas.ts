import { type Static, Type } from 'typebox';
import { Nullable, PageQuery, Paginated, Timestamp, Uuid } from '../../lib/schemas.js';
import { CurriculumRows, NamedRef } from '../curriculum/schemas.js';

/** Names must carry a character that is not a space; surrounding spaces are trimmed. */
const ClassName = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Section = Type.String({ minLength: 1, maxLength: 10, pattern: '\\S', description: 'e.g. "A"' });
const Grade = Type.Integer({ minimum: 1, maximum: 12 });
const MaxStudents = Type.Integer({ minimum: 1, maximum: 200 });
const CompactDays = Type.Boolean({ description: 'Generated timetables give the class days without free periods, starting at period 1 (default true)' });

/** A class in lists. */
export const ClassSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  grade: Type.Integer(),
  section: Type.String(),
  homeroomTeacher: Nullable(NamedRef),
  studentCount: Type.Integer(),
  maxStudents: Type.Integer(),
  compactDays: Type.Boolean({ description: 'Generated timetables give the class days without free periods, starting at period 1' }),
});

export const ClassDetail = Type.Object({
  ...ClassSummary.properties,
  curriculum: CurriculumRows,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** A class of the caller's, with the subjects they teach there (a teacher) or learn there (a student). */
export const MyClass = Type.Object({ ...ClassSummary.properties, subjects: Type.Array(NamedRef) });
export const MyClasses = Type.Array(MyClass);

export const CreateClassBody = Type.Object(
  {
    name: ClassName,
    grade: Grade,
    section: Section,
    homeroomTeacherId: Type.Optional(Uuid),
    maxStudents: Type.Optional({ ...MaxStudents, default: 40 }),
    compactDays: Type.Optional(CompactDays),
  },
  { additionalProperties: false, examples: [{ name: '5A', grade: 5, section: 'A', maxStudents: 30 }] },
);

export const UpdateClassBody = Type.Object(
  {
    name: Type.Optional(ClassName),
    grade: Type.Optional(Grade),
    section: Type.Optional(Section),
    homeroomTeacherId: Type.Optional(Nullable(Uuid)),
    maxStudents: Type.Optional(MaxStudents),
    compactDays: Type.Optional(CompactDays),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ section: 'B', maxStudents: 32 }] },
);

export const ListClassesQuery = Type.Object(
  {
    grade: Type.Optional(Grade),
    teacherId: Type.Optional({ ...Uuid, description: 'Classes this teacher leads as homeroom teacher or teaches in' }),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Matches the name' })),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const ClassList = Paginated(ClassSummary);

export const EnrollBody = Type.Object(
  {
    studentIds: Type.Array(Uuid, { minItems: 1, maxItems: 200 }),
    move: Type.Optional(Type.Boolean({ default: false, description: 'Move students who are in another class instead of refusing' })),
  },
  { additionalProperties: false, examples: [{ studentIds: ['7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f'], move: false }] },
);

export const StudentCount = Type.Object({ studentCount: Type.Integer() });

export const StudentParams = Type.Object({ id: Uuid, studentId: Uuid });

/** A student of the class as admins and teachers see them. */
export const ClassStudent = Type.Object({ id: Uuid, username: Type.String(), name: Type.String(), email: Nullable(Type.String()) });
/** A classmate as a student of the class sees them: the name only. */
export const Classmate = Type.Object({ id: Uuid, name: Type.String() });

export const ClassStudentList = Paginated(ClassStudent);
export const ClassmateList = Paginated(Classmate);
export const ClassStudentsQuery = Type.Object(PageQuery, { additionalProperties: false });

export type CreateClassBody = Static<typeof CreateClassBody>;
export type UpdateClassBody = Static<typeof UpdateClassBody>;
export type ListClassesQuery = Static<typeof ListClassesQuery>;
export type EnrollBody = Static<typeof EnrollBody>;
