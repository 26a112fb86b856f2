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
const Phone = Type.String({ minLength: 3, maxLength: 30, pattern: '^[0-9+()\\-. ]+$', description: '3-30 digits, spaces and + ( ) - .' });
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

/** What the admin dashboard counts. */
export const AdminSummary = Type.Object({
  activeUsers: Type.Object({ teacher: Type.Integer(), student: Type.Integer(), guardian: Type.Integer() }, { description: 'Active accounts per role' }),
  classes: Type.Integer(),
  unscheduled: Type.Object(
    {
      periods: Type.Integer({ description: 'Sum over every curriculum row of its periods a week less its lessons in the timetable (never below 0 per row)' }),
      classes: Type.Integer({ description: 'Classes with at least one such period' }),
    },
    { description: 'Curriculum periods not yet in the timetable' },
  ),
});

export const ImportQuery = Type.Object(
  {
    dryRun: Type.Optional(
      Type.Boolean({ default: false, description: 'Check the file and answer 200 with what each row would create and its errors; nothing is written' }),
    ),
  },
  { additionalProperties: false },
);

export const ImportPreviewRow = Type.Object({
  row: Type.Integer({ description: 'Line number as a spreadsheet shows it: the header is row 1' }),
  username: Nullable(Type.String()),
  name: Nullable(Type.String()),
  role: Nullable(Type.String()),
  email: Nullable(Type.String()),
  guardianOf: Type.Array(Type.String(), { description: 'The students a guardian row would be linked to, by lower-cased username' }),
  errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), { description: 'Empty when the row is valid' }),
});

export const ImportPreview = Type.Object({
  total: Type.Integer({ description: 'Data rows in the file' }),
  invalid: Type.Integer({ description: 'Rows with at least one error' }),
  created: Type.Integer({ description: 'Users the import would create: 0 while any row has errors (all rows or none)' }),
  linked: Type.Integer({ description: 'Guardian links the import would create: 0 while any row has errors' }),
  rows: Type.Array(ImportPreviewRow),
});

export type CreateUserBody = Static<typeof CreateUserBody>;
export type UpdateUserBody = Static<typeof UpdateUserBody>;
export type ListUsersQuery = Static<typeof ListUsersQuery>;
export type ImportResult = Static<typeof ImportResult>;
export type ImportPreview = Static<typeof ImportPreview>;
