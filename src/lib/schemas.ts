import { type Static, type TSchema, Type } from 'typebox';

/** Shared field rules, so every route validates a username or an id the same way. */
export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
export const IdParams = Type.Object({ id: Uuid });

export const Username = Type.String({
  minLength: 3,
  maxLength: 50,
  pattern: '^[A-Za-z0-9._-]+$',
  description: '3-50 letters, digits, dots, underscores or hyphens',
});
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{3,50}$/;

export const Password = Type.String({ minLength: 8, maxLength: 200, description: 'At least 8 characters' });
export const PASSWORD_MIN_LENGTH = 8;

export const PersonName = Type.String({ minLength: 1, maxLength: 120 });
export const Email = Type.String({ format: 'email', maxLength: 254 });
// PostgreSQL has no year 0, which the date format would let through.
export const DateOnly = Type.String({ format: 'date', pattern: '^(?!0000)', description: 'YYYY-MM-DD, from the year 0001' });
export const Timestamp = Type.String({ format: 'date-time' });

/**
 * The schema or null. Written as `type: [type, "null"]` rather than an anyOf with null: with the
 * app's type coercion, Ajv turns a value the first branch refuses (0 below a minimum, "" for an
 * email) into null on the second, so a bad value would clear the field instead of answering 400.
 * With a type list, coercion to null only happens when no listed type matches.
 */
export function Nullable<T extends TSchema>(schema: T) {
  const { type } = schema as { type?: unknown };
  if (typeof type !== 'string') return Type.Union([schema, Type.Null()]);
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] });
}

export const PageQuery = {
  // Bounded so that the row offset, (page - 1) x limit, stays a number PostgreSQL accepts.
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
};

export const Paginated = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    limit: Type.Integer(),
  });

export const InstitutionSummary = Type.Object({
  id: Uuid,
  name: Type.String(),
  code: Type.String({ description: 'Short code teachers and students give when they sign in' }),
});

export const MessageResponse = Type.Object({ message: Type.String() });
