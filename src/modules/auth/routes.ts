import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MessageResponse } from '../../lib/schemas.js';
import { changeAs, recordActivity } from '../../plugins/activity-log.js';
import { recordLogin, revokeTokens } from './queries.js';
import {
  ChangePasswordBody,
  ChangePasswordResponse,
  DeleteAccountBody,
  LoginBody,
  LoginResponse,
  Session,
} from './schemas.js';
import { createPasswordGuard } from './password-guard.js';
import { assertPassword, authenticate, changePassword, deleteInstitution, findLoginAccount, issueToken, typedLoginName } from './service.js';

const tags = ['auth'];

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const guard = createPasswordGuard(app);

  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      onRequest: app.authAttempts.perIp,
      schema: {
        tags,
        summary: 'Sign in: teachers and students give their institution code too; admins may give it or leave it out',
        body: LoginBody,
        response: { 200: LoginResponse },
      },
    },
    async (request, reply) => {
      const account = await findLoginAccount(app.db, request.body);
      const counter = await guard.admit(request, account, typedLoginName(request.body));
      let principal;
      try {
        principal = await authenticate(account, request.body.password);
      } catch (error) {
        await guard.recordFailure(counter);
        throw error;
      }
      guard.succeeded(request, reply, principal);
      await changeAs(app.db, request, principal, async ({ db, log }) => {
        await recordLogin(db, principal);
        await log(
          { action: 'login', targetType: principal.role, targetId: principal.id, targetName: principal.username },
          { master: principal.role === 'admin' },
        );
      });
      return { token: issueToken(app.tokens, principal), user: principal, institution: principal.institution };
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: 'anyAccount' },
      schema: { tags, summary: 'The signed-in account and its institution', response: { 200: Session } },
    },
    async (request) => ({ user: request.principal, institution: request.principal.institution }),
  );

  app.post(
    '/auth/logout',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: "Sign out: every token of this account stops working at once",
        response: { 200: MessageResponse },
      },
    },
    async (request) => {
      await request.change(async ({ db, log }) => {
        await revokeTokens(db, request.principal);
        await log({ action: 'logout', targetType: request.principal.role, targetId: request.principal.id });
      });
      return { message: 'Signed out' };
    },
  );

  app.post(
    '/auth/change-password',
    {
      config: { access: 'anyAccount' },
      schema: {
        tags,
        summary: 'Change your password; other sessions are signed out',
        body: ChangePasswordBody,
        response: { 200: ChangePasswordResponse },
      },
    },
    async (request) => {
      const { principal } = request;
      const tokenVersion = await changePassword(app.db, guard, request, request.body.currentPassword, request.body.newPassword);
      return { message: 'Password changed', token: issueToken(app.tokens, principal, tokenVersion) };
    },
  );

  app.delete(
    '/auth/delete-account',
    {
      config: { access: 'adminOnly' },
      schema: {
        tags,
        summary: 'Delete the institution with all its data and files (admin; confirm with your password)',
        body: DeleteAccountBody,
        response: { 200: MessageResponse },
      },
    },
    async (request) => {
      const { principal } = request;
      await assertPassword(app.db, guard, request, request.body.password);
      await deleteInstitution(app.db, app.fileStorage, principal, (trx) =>
        recordActivity(
          trx,
          request,
          { action: 'delete', targetType: 'institution', targetId: principal.institution.id, targetName: principal.institution.name },
          { masterOnly: true },
        ),
      );
      return { message: 'The institution and all its data have been deleted' };
    },
  );
};

export default authRoutes;

