import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const SHUTDOWN_GRACE_MS = 10_000;

const config = loadConfig();
const app = await buildApp({ config });

let shuttingDown = false;
async function shutdown(signal: NodeJS.Signals) {
  if (shuttingDown) return;
  shuttingDown = true;
  app.log.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
  // A request that hangs must not keep the process alive forever.
  const force = setTimeout(() => {
    app.log.error('requests still in flight after the grace period; exiting');
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  await app.close();
  app.log.info('shutdown complete; database closed');
  process.exit(0);
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);

await app.listen({ host: config.host, port: config.port });
const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
const database = app.databaseKind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
// Plain lines for the person who just ran `npm start`; everything else is structured pino output.
console.log(`Smart Institutional CRM listening on http://${shown}:${config.port} (database: ${database})`);
console.log(`API documentation: http://${shown}:${config.port}/docs`);
