import { type Static, Type } from 'typebox';
import { Nullable, Uuid } from '../../lib/schemas.js';

/** A record named by its id and name, as lists show teachers, rooms and classes. */
export const NamedRef = Type.Object({ id: Uuid, name: Type.String() });

/** One subject a class is taught, as the API shows it. */
export const CurriculumRow = Type.Object({
  subject: Type.Object({ id: Uuid, name: Type.String(), color: Nullable(Type.String()) }),
  teacher: NamedRef,
  periodsPerWeek: Type.Integer(),
  room: Nullable(NamedRef),
  scheduled: Type.Integer({ description: "Lessons of this class and subject the timetable already holds" }),
  doublePeriods: Type.Integer({ description: 'How many of its lessons come as two consecutive periods' }),
  maxPerDay: Type.Integer({ description: 'Most periods of it on one day (as set, or the default)' }),
});

export const CurriculumRows = Type.Array(CurriculumRow);

export const CurriculumInput = Type.Object(
  {
    subjectId: Uuid,
    teacherId: Uuid,
    periodsPerWeek: Type.Integer({ minimum: 1, maximum: 20 }),
    roomId: Type.Optional(Uuid),
    doublePeriods: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 10, default: 0, description: 'How many of its lessons come as two consecutive periods (at most half of periodsPerWeek)' }),
    ),
    maxPerDay: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 16,
        description: 'Most periods of it on one day; by default 1 when periodsPerWeek fits one a day and no lesson is double, else 2',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReplaceCurriculumBody = Type.Array(CurriculumInput, {
  maxItems: 50,
  description: "The class's whole curriculum: each subject at most once",
  examples: [
    [
      {
        subjectId: '7d3f0c2e-1a4b-4c5d-8e9f-0a1b2c3d4e5f',
        teacherId: '2b9e4f1a-6c7d-4e8f-9a0b-1c2d3e4f5a6b',
        periodsPerWeek: 4,
        roomId: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f',
      },
    ],
  ],
});

export type CurriculumRow = Static<typeof CurriculumRow>;
export type ReplaceCurriculumBody = Static<typeof ReplaceCurriculumBody>;
