import { stat } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Vite names every file under assets/ by a hash of its content: a changed file gets a new name. */
const HASHED_ASSETS = '/assets/';
const YEAR_MS = 365 * 24 * 60 * 60_000;
/** index.html names the current hashed files; a cached copy would keep a browser on an old build. */
const NEVER_STORE = 'no-store';
/** Other files at the root (favicon, robots.txt) keep their names: cached, but revalidated on use. */
const REVALIDATE = 'no-cache';

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The built web app (web/dist) at `/`, beside the API: files as they are, and index.html for any
 * other GET path outside /api and /docs so that the app's own router shows deep links. Without a
 * build (tests, an API-only deployment) nothing is registered and unknown paths stay JSON 404s.
 */
async function webAppPlugin(app: FastifyInstance) {
  const root = app.config.webDir;
  if (!(await isFile(path.join(root, 'index.html')))) {
    app.log.info({ webDir: root }, 'no web app build found; serving the API only (npm run build:web builds it)');
    return;
  }
  await app.register(fastifyStatic, { root, serve: false, cacheControl: false, etag: true, lastModified: true });

  app.get<{ Params: { '*': string } }>('/*', { schema: { hide: true } }, async (request, reply) => {
    // Decoded by the router (a malformed escape never gets here).
    const pathname = `/${request.params['*']}`;
    if (pathname === '/api' || pathname.startsWith('/api/')) return reply.callNotFound();
    if (pathname.startsWith(HASHED_ASSETS)) {
      // A missing asset is a 404 (without the cache header), never index.html: a stale chunk
      // must fail as itself.
      return reply.sendFile(pathname, { cacheControl: true, maxAge: YEAR_MS, immutable: true });
    }
    // path.join normalises away any `..`; @fastify/static refuses paths outside the root as well.
    if (pathname !== '/' && (await isFile(path.join(root, path.normalize(pathname))))) {
      return reply.header('cache-control', REVALIDATE).sendFile(pathname);
    }
    return reply.header('cache-control', NEVER_STORE).sendFile('index.html');
  });
}

export default fp(webAppPlugin, { name: 'web-app', dependencies: ['errors'] });
