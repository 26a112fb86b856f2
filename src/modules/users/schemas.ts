import { type Static, Type } from 'typebox';
import {
  DateOnly,
  Email,
  Nullable,
  PageQuery,
  Paginated,
  Password,
  PersonName,
  Timestamp,
  Username,
  Uuid,
} from '../../lib/schemas.js';

export const UserRole = Type.Enum(['teacher', 'student', 'guardian']);
const Phone = Type.String({ minLength: 3, maxLength: 30, pattern: '^[0-9+()\\-. ]+$' });
const Address = Type.String({ maxLength: 500 });

/** A user as the API shows it: never any password field. */
export const UserView = Type.Object({
  id: Uuid,
  username: Type.String(),
  role: UserRole,
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  address: Nullable(Type.String()),
  dateOfBirth: Nullable(Type.String()),
  joiningDate: Nullable(Type.String()),
  isActive: Type.Boolean(),
  lastLoginAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const profileFields = {
  email: Type.Optional(Email),
  phone: Type.Optional(Phone),
  address: Type.Optional(Address),
  dateOfBirth: Type.Optional(DateOnly),
  joiningDate: Type.Optional(DateOnly),
};

export const CreateUserBody = Type.Object(
  { username: Username, password: Password, role: UserRole, name: PersonName, ...profileFields },
  {
    additionalProperties: false,
    examples: [{ username: 'lisa.s', password: 'a-long-secret', role: 'student', name: 'Lisa Simpson', dateOfBirth: '2015-05-09' }],
  },
);

/** Role changes are not offered: a teacher and a student carry different records in later features. */
export const UpdateUserBody = Type.Object(
  {
    username: Type.Optional(Username),
    password: Type.Optional(Password),
    name: Type.Optional(PersonName),
    email: Type.Optional(Nullable(Email)),
    phone: Type.Optional(Nullable(Phone)),
    address: Type.Optional(Nullable(Address)),
    dateOfBirth: Type.Optional(Nullable(DateOnly)),
    joiningDate: Type.Optional(Nullable(DateOnly)),
    isActive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1, examples: [{ phone: '+1 555 0100', isActive: false }] },
);

export const ListUsersQuery = Type.Object(
  {
    role: Type.Optional(UserRole),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Matches name, username or email' })),
    isActive: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const UserList = Paginated(UserView);
export const ImportResult = Type.Object({
  created: Type.Integer({ description: 'Users created' }),
  linked: Type.Integer({ description: 'Guardian links created from guardianOf' }),
});

export type CreateUserBody = Static<typeof CreateUserBody>;
export type UpdateUserBody = Static<typeof UpdateUserBody>;
export type ListUsersQuery = Static<typeof ListUsersQuery>;
