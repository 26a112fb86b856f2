import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** How long a socket has to finish the closing handshake at shutdown before it is cut off. */
const SHUTDOWN_GRACE_MS = 1000;

/**
 * WebSocket upgrades for routes that declare a `wsHandler` (modules/realtime). Registered before
 * the security and auth plugins, so its hooks see every upgrade request first: an upgrade the API answers with
 * HTTP (401, 404, 429) has its connection closed after the answer, instead of a socket left open
 * that Node would have closed had nothing listened for upgrades.
 */
async function websocketPlugin(app: FastifyInstance) {
  await app.register(websocket, {
    options: {
      maxPayload: app.config.realtime.maxPayloadBytes,
      // The auth plugin has checked the token offered as `bearer, <token>` before the upgrade.
      handleProtocols: (protocols) => (protocols.has('bearer') ? 'bearer' : false),
    },
    // Clients reconnect elsewhere at once (1001); one that does not finish the closing handshake
    // soon is cut off rather than holding the shutdown for ws's 30 s.
    preClose: async () => {
      const clients = [...app.websocketServer.clients];
      const closed = clients.map((client) => new Promise((resolve) => client.once('close', resolve)));
      for (const client of clients) client.close(1001, 'server shutting down');
      const grace = setTimeout(() => {
        for (const client of clients) client.terminate();
      }, SHUTDOWN_GRACE_MS);
      await Promise.all(closed);
      clearTimeout(grace);
      await new Promise((resolve) => app.websocketServer.close(resolve));
    },
  });
}

export default fp(websocketPlugin, { name: 'websocket' });
