import { type Static, Type } from 'typebox';
import { InstitutionSummary, Nullable, Password, Uuid } from '../../lib/schemas.js';

export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 50 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    institutionCode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 20, description: 'Required for teachers and students; admins may give their own or leave it out' }),
    ),
  },
  { additionalProperties: false, examples: [{ username: 'teacher01', password: 'a-long-secret', institutionCode: 'K7M2QX' }] },
);

export const PrincipalUser = Type.Object({
  id: Uuid,
  username: Type.String(),
  name: Type.String(),
  email: Nullable(Type.String()),
  role: Type.Enum(['admin', 'teacher', 'student', 'guardian']),
});

export const Session = Type.Object({ user: PrincipalUser, institution: InstitutionSummary });
export const LoginResponse = Type.Object({ token: Type.String(), ...Session.properties });

export const ChangePasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password },
  { additionalProperties: false, examples: [{ currentPassword: 'the-old-secret', newPassword: 'a-new-long-secret' }] },
);
export const ChangePasswordResponse = Type.Object({
  message: Type.String(),
  token: Type.String({ description: 'A fresh token: every earlier token of this account is revoked' }),
});

export const DeleteAccountBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false, examples: [{ password: 'my-admin-secret' }] },
);

export type LoginBody = Static<typeof LoginBody>;
