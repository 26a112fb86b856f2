import { type Static, Type } from 'typebox';
import { Email, InstitutionSummary, Nullable, Password, PersonName, Username, Uuid } from '../../lib/schemas.js';

export const SetupAdminBody = Type.Object(
  {
    username: Username,
    password: Password,
    name: PersonName,
    institutionName: Type.String({ minLength: 2, maxLength: 200 }),
    email: Type.Optional(Email),
  },
  {
    additionalProperties: false,
    examples: [{ username: 'principal.skinner', password: 'a-long-secret', name: 'Seymour Skinner', institutionName: 'Springfield Elementary' }],
  },
);

export const AdminSummary = Type.Object({
  id: Uuid,
  username: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  role: Type.Literal('admin'),
});

export const SetupAdminResponse = Type.Object({ institution: InstitutionSummary, admin: AdminSummary });

export type SetupAdminBody = Static<typeof SetupAdminBody>;
export type SetupAdminResponse = Static<typeof SetupAdminResponse>;
