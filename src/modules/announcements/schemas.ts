import { type Static, Type } from 'typebox';
import { Nullable, PageQuery, Paginated, Timestamp, Uuid } from '../../lib/schemas.js';

export const AUDIENCE_ROLES = ['admin', 'teacher', 'student', 'guardian'] as const;
export const MAX_BODY_CHARS = 20_000;

const Role = Type.Enum([...AUDIENCE_ROLES]);

/** Exactly one of the three keys. */
export const Audience = Type.Object(
  {
    all: Type.Optional(Type.Literal(true)),
    roles: Type.Optional(Type.Array(Role, { minItems: 1, maxItems: AUDIENCE_ROLES.length, uniqueItems: true })),
    classIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 100, uniqueItems: true })),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description:
      'Who it is for: `{"all":true}` (every account of the institution), `{"roles":[…]}` (every account with one of the roles) or ' +
      '`{"classIds":[…]}` (the students of those classes, their guardians and the teachers who teach the classes)',
  },
);

const fields = {
  title: Type.String({ minLength: 1, maxLength: 200, description: 'Trimmed' }),
  body: Type.String({
    minLength: 1,
    maxLength: MAX_BODY_CHARS,
    description: 'Markdown, stored and returned exactly as written; never rendered to HTML by the server: the client renders it safely',
  }),
  pinnedUntil: { ...Timestamp, description: 'Shown first in everyone\'s list until then; must be in the future' },
  requireConfirmation: Type.Boolean({ description: 'Readers are asked to confirm they read it (POST …/read); the author follows who did' }),
};

export const CreateAnnouncementBody = Type.Object(
  {
    title: fields.title,
    body: fields.body,
    audience: Audience,
    pinnedUntil: Type.Optional(fields.pinnedUntil),
    requireConfirmation: Type.Optional({ ...fields.requireConfirmation, default: false }),
  },
  {
    additionalProperties: false,
    examples: [{ title: 'Parents evening', body: 'On **Thursday** from 18:00 in hall A.\n\nPlease confirm you have read this.', audience: { all: true }, requireConfirmation: true }],
  },
);

/** The audience stays as posted: for another audience, post another announcement. Null unpins. */
export const UpdateAnnouncementBody = Type.Object(
  {
    title: Type.Optional(fields.title),
    body: Type.Optional(fields.body),
    pinnedUntil: Type.Optional(Nullable(fields.pinnedUntil)),
    requireConfirmation: Type.Optional(fields.requireConfirmation),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ title: 'Parents evening (hall B)' }] },
);

const Person = Type.Object({ id: Uuid, name: Type.String(), role: Role });

export const AnnouncementView = Type.Object({
  id: Uuid,
  title: Type.String(),
  body: Type.String({ description: 'Markdown as written: render it on the client with raw HTML disabled' }),
  audience: Audience,
  pinnedUntil: Nullable(Timestamp),
  pinned: Type.Boolean({ description: '`pinnedUntil` is still ahead' }),
  requireConfirmation: Type.Boolean(),
  author: Nullable({ ...Person, description: 'Null once the author\'s account is deleted' }),
  read: Type.Boolean({ description: 'The caller has read (confirmed) it' }),
  readAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const AnnouncementList = Paginated(AnnouncementView);

export const ListAnnouncementsQuery = Type.Object(
  {
    ...PageQuery,
    unread: Type.Optional(Type.Boolean({ description: 'Only those the caller has not read yet' })),
  },
  { additionalProperties: false },
);

export const ReadMark = Type.Object({ announcementId: Uuid, readAt: Timestamp });

export const ReadsView = Type.Object({
  audience: Type.Integer({ description: 'People in the audience now (active accounts)' }),
  readCount: Type.Integer(),
  read: Type.Array(Type.Object({ ...Person.properties, readAt: Timestamp }), { description: 'By time read' }),
  unread: Type.Array(Person, { description: 'By name' }),
});

export type Audience = Static<typeof Audience>;
export type CreateAnnouncementBody = Static<typeof CreateAnnouncementBody>;
export type UpdateAnnouncementBody = Static<typeof UpdateAnnouncementBody>;
export type AnnouncementView = Static<typeof AnnouncementView>;
export type ListAnnouncementsQuery = Static<typeof ListAnnouncementsQuery>;
export type ReadsView = Static<typeof ReadsView>;
