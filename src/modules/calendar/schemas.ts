import { type Static, Type } from 'typebox';
import { DateOnly, Nullable, Timestamp, Uuid } from '../../lib/schemas.js';

export const EVENT_TYPES = ['event', 'holiday', 'exam', 'meeting'] as const;

const EventType = Type.Enum([...EVENT_TYPES], { description: 'A holiday takes the lessons of its audience out of the timetable' });

/** Exactly one of the three keys. */
export const Audience = Type.Object(
  {
    all: Type.Optional(Type.Literal(true)),
    classIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 100, uniqueItems: true })),
    teachersOnly: Type.Optional(Type.Literal(true)),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    description: 'Who sees the event: `{"all":true}`, `{"classIds":[…]}` (their students and teachers) or `{"teachersOnly":true}`',
  },
);

const Recurrence = Type.String({
  minLength: 6,
  maxLength: 300,
  description:
    'An RFC 5545 RRULE value (an `RRULE:` prefix is allowed): FREQ=DAILY|WEEKLY|MONTHLY|YEARLY with INTERVAL, BYDAY and COUNT or UNTIL; ' +
    "expanded in the institution's time zone, so a 09:00 event stays at 09:00 local time across daylight-saving changes",
});

const Exceptions = Type.Array(DateOnly, {
  maxItems: 500,
  uniqueItems: true,
  description: "Local dates on which a recurring event does not take place",
});

const fields = {
  title: Type.String({ minLength: 1, maxLength: 200, description: 'Trimmed' }),
  description: Type.String({ maxLength: 5000 }),
  type: EventType,
  startsAt: { ...Timestamp, description: 'A timed event: its start, RFC 3339 with an offset' },
  endsAt: { ...Timestamp, description: 'A timed event: its end, after its start' },
  allDay: Type.Boolean({ description: 'True with `date` (and `endDate`) for an all-day event' }),
  date: { ...DateOnly, description: 'An all-day event: its (first) day' },
  endDate: { ...DateOnly, description: 'An all-day event: its last day, inclusive; defaults to `date`' },
  audience: Audience,
  recurrence: Recurrence,
  exceptions: Exceptions,
};

const EXAMPLE_EVENT = {
  title: 'Parents evening',
  description: 'Hall A',
  type: 'meeting',
  startsAt: '2026-11-26T18:00:00+01:00',
  endsAt: '2026-11-26T20:00:00+01:00',
  audience: { all: true },
};

export const CreateEventBody = Type.Object(
  {
    title: fields.title,
    description: Type.Optional(fields.description),
    type: fields.type,
    startsAt: Type.Optional(fields.startsAt),
    endsAt: Type.Optional(fields.endsAt),
    allDay: Type.Optional(fields.allDay),
    date: Type.Optional(fields.date),
    endDate: Type.Optional(fields.endDate),
    audience: fields.audience,
    recurrence: Type.Optional(fields.recurrence),
    exceptions: Type.Optional(fields.exceptions),
  },
  { additionalProperties: false, examples: [EXAMPLE_EVENT] },
);

/** Null clears the description or the recurrence. Giving `startsAt`/`endsAt` makes it timed, `allDay: true` all-day. */
export const UpdateEventBody = Type.Object(
  {
    title: Type.Optional(fields.title),
    description: Type.Optional(Nullable(fields.description)),
    type: Type.Optional(fields.type),
    startsAt: Type.Optional(fields.startsAt),
    endsAt: Type.Optional(fields.endsAt),
    allDay: Type.Optional(fields.allDay),
    date: Type.Optional(fields.date),
    endDate: Type.Optional(fields.endDate),
    audience: Type.Optional(fields.audience),
    recurrence: Type.Optional(Nullable(fields.recurrence)),
    exceptions: Type.Optional(fields.exceptions),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ title: 'Parents evening (moved to hall B)' }] },
);

/** The stored event's fields, as written and as read. */
const storedEvent = {
  id: Uuid,
  title: Type.String(),
  description: Nullable(Type.String()),
  type: EventType,
  allDay: Type.Boolean(),
  startsAt: Nullable({ ...Timestamp, description: "Timed events, in the institution's offset; a series' first occurrence" }),
  endsAt: Nullable(Timestamp),
  date: Nullable({ ...DateOnly, description: "All-day events; a series' first occurrence" }),
  endDate: Nullable(DateOnly),
  audience: Audience,
  recurrence: Nullable(Type.String({ description: 'The RRULE value, without the `RRULE:` prefix' })),
  exceptions: Type.Array(DateOnly),
  uid: Nullable(Type.String({ description: 'The UID of the iCalendar entry it was imported from' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
};

export const EventView = Type.Object({ ...storedEvent, createdBy: Uuid });

const CanEdit = Type.Boolean({ description: 'Whether the caller may change or delete the event (admins any; teachers their own class events for classes they all teach, no holidays)' });

/** One event as `GET /calendar/events/:id` answers it: who created it, and whether the caller may change it. */
export const EventDetailView = Type.Object({
  ...storedEvent,
  createdBy: Type.Object({ id: Uuid, name: Nullable(Type.String({ description: 'Null once the account is deleted' })) }),
  canEdit: CanEdit,
});

/** One occurrence of an event (the only one of an event that does not recur). */
export const Occurrence = Type.Object({
  eventId: Uuid,
  title: Type.String(),
  description: Nullable(Type.String()),
  type: EventType,
  allDay: Type.Boolean(),
  startsAt: Nullable(Timestamp),
  endsAt: Nullable(Timestamp),
  date: Nullable(DateOnly),
  endDate: Nullable(DateOnly),
  audience: Audience,
  recurring: Type.Boolean(),
  createdBy: Uuid,
  canEdit: CanEdit,
});

export const CalendarQuery = Type.Object(
  {
    from: { ...DateOnly, description: "First day, in the institution's time zone" },
    to: { ...DateOnly, description: 'Last day, inclusive; at most 366 days after `from`' },
    studentId: Type.Optional({ ...Uuid, description: "The calendar as this student sees it (the student, their guardians, their teachers, admins)" }),
  },
  { additionalProperties: false },
);

export const CalendarView = Type.Object({
  timeZone: Type.String(),
  from: DateOnly,
  to: DateOnly,
  occurrences: Type.Array(Occurrence, { description: 'Sorted by start' }),
});

export const ImportResult = Type.Object({
  created: Type.Integer({ description: 'Entries whose UID was new' }),
  updated: Type.Integer({ description: 'Entries whose UID was imported before: updated in place, never duplicated' }),
});

export const FeedView = Type.Object({
  url: Type.String({ description: 'Subscribe to it from Google Calendar, Apple Calendar or Outlook; anyone with it can read the feed' }),
  token: Type.String(),
});

export const FeedParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

export const InstitutionSettings = Type.Object(
  { timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. Europe/Berlin; UTC by default' }) },
  { additionalProperties: false, examples: [{ timeZone: 'Europe/Berlin' }] },
);

export type CreateEventBody = Static<typeof CreateEventBody>;
export type UpdateEventBody = Static<typeof UpdateEventBody>;
export type EventView = Static<typeof EventView>;
export type EventDetailView = Static<typeof EventDetailView>;
export type Occurrence = Static<typeof Occurrence>;
export type Audience = Static<typeof Audience>;
