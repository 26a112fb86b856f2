import path from 'node:path';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import { type DatabaseHandle, type DatabaseKind, openDatabase } from './db/database.js';
import { loadMigrations, type Migration, migrateRegistry, migrateTenants } from './db/migrator.js';
import type { Database } from './db/types.js';
import { ErrorResponse } from './lib/errors.js';
import { featureModules } from './modules/index.js';
import activityLog from './plugins/activity-log.js';
import auth, { type Access } from './plugins/auth.js';
import docs from './plugins/docs.js';
import errors, { clientErrorHandler, frameworkErrors } from './plugins/errors.js';
import files from './plugins/files.js';
import security from './plugins/security.js';
import webApp from './plugins/web-app.js';
import websocket from './plugins/websocket.js';

export interface RouteEntry {
  method: string;
  url: string;
  access: Access | undefined;
  schema: FastifySchema | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    database: DatabaseHandle;
    db: Kysely<Database>;
    databaseKind: DatabaseKind;
    tenantMigrations: Migration[];
    /** Every route as registered, for tests that must cover routes added later. */
    routeTable: RouteEntry[];
  }
}

export interface BuildAppOptions {
  config: Config;
  /** An already open database (the app then leaves closing it to the caller). */
  database?: DatabaseHandle;
}

export async function buildApp({ config, database }: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.newPassword', '*.currentPassword'],
    },
    bodyLimit: config.bodyLimitBytes,
    frameworkErrors,
    clientErrorHandler,
    trustProxy: config.trustProxy,
    ajv: {
      // Unknown body fields are rejected (400), never silently written or dropped.
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const handle =
    database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      listenUrl: config.databaseListenUrl,
      pgliteDir: path.join(config.dataDir, 'pgdata'),
      poolSize: config.databasePoolSize,
      preparedStatementsPerConnection: config.databasePreparedStatements,
      onIdleConnectionError: (error) => app.log.warn({ err: error }, 'idle database connection failed; it will be replaced'),
    }));
  if (!database) app.addHook('onClose', () => handle.db.destroy());

  await migrateRegistry(handle.db, await loadMigrations('registry'));
  const tenantMigrations = await loadMigrations('tenant');
  const report = await migrateTenants(handle.db, tenantMigrations);
  for (const failure of report.failed) {
    app.log.error({ err: failure.error, institutionId: failure.institutionId }, 'tenant migration failed');
  }
  app.log.info({ migrated: report.migrated, upToDate: report.upToDate, failed: report.failed.length }, 'tenant schemas checked');

  app.decorate('config', config);
  app.decorate('database', handle);
  app.decorate('db', handle.db);
  app.decorate('databaseKind', handle.kind);
  app.decorate('tenantMigrations', tenantMigrations);
  app.decorate('routeTable', [] as RouteEntry[]);

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      app.routeTable.push({ method, url: route.url, access: route.config?.access, schema: route.schema });
    }
    // Every documented answer also documents the error shape; public routes need no token.
    if (route.schema?.response && typeof route.schema.response === 'object') {
      route.schema.response = { '4xx': ErrorResponse, '5xx': ErrorResponse, ...route.schema.response };
    }
    if (route.schema && route.config?.access === 'public') {
      (route.schema as { security?: unknown[] }).security = [];
    }
  });

  // Once shutdown starts, answers still in flight close their connection: an idle keep-alive
  // socket would otherwise hold the server open after its last request is done.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  await app.register(errors);
  await app.register(websocket);
  await app.register(security);
  await app.register(docs);
  await app.register(auth);
  await app.register(activityLog);
  await app.register(files);
  await app.register(multipart, { limits: { fileSize: config.uploadLimitBytes, files: 1 } });

  await app.register(
    async (api) => {
      for (const routes of featureModules) await api.register(routes);
    },
    { prefix: '/api' },
  );
  await app.register(webApp);
  return app;
}
