import { type Static, Type } from 'typebox';
import { DateOnly, Nullable, Timestamp, Uuid } from '../../lib/schemas.js';

export const Relationship = Type.Enum(['mother', 'father', 'guardian', 'other']);

export const LinkGuardianBody = Type.Object(
  {
    guardianId: { ...Uuid, description: 'A guardian account of the institution (POST /api/users with role guardian)' },
    relationship: Relationship,
    primary: Type.Optional(Type.Boolean({ default: false, description: "The student's first contact; setting it clears the previous primary guardian" })),
  },
  { additionalProperties: false, examples: [{ guardianId: '00000000-0000-4000-8000-000000000000', relationship: 'mother', primary: true }] },
);

export const GuardianLinkParams = Type.Object({ id: Uuid, guardianId: Uuid });

/** A guardian of a student, as admins and the student's teachers see it. */
export const GuardianLink = Type.Object({
  guardianId: Uuid,
  name: Type.String(),
  username: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  isActive: Type.Boolean(),
  relationship: Relationship,
  primary: Type.Boolean(),
  createdAt: Timestamp,
});

export const GuardianLinkList = Type.Array(GuardianLink, { description: 'The primary guardian first, then by name' });

const Named = Type.Object({ id: Uuid, name: Type.String() });

/** One of the signed-in guardian's children. */
export const Child = Type.Object({
  id: Uuid,
  name: Type.String(),
  username: Type.String(),
  dateOfBirth: Nullable(DateOnly),
  relationship: Relationship,
  primary: Type.Boolean(),
  class: Nullable(Type.Object({ id: Uuid, name: Type.String(), grade: Type.Integer(), section: Type.String() })),
  homeroomTeacher: Nullable(Named),
});

export const ChildList = Type.Array(Child, { description: 'By name' });

export type LinkGuardianBody = Static<typeof LinkGuardianBody>;
export type GuardianLink = Static<typeof GuardianLink>;
