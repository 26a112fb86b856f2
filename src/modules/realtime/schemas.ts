import { type Static, Type } from 'typebox';

export const Cursor = Type.Integer({ minimum: 0, description: 'An event cursor: events after it are sent' });

export const SocketQuery = Type.Object(
  { since: Type.Optional(Cursor) },
  { additionalProperties: false },
);
export type SocketQuery = Static<typeof SocketQuery>;

/** The frames a client may send. */
export const ResumeFrame = Type.Object({ type: Type.Literal('resume'), since: Cursor });
