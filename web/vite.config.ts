import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The API `npm run dev` starts beside Vite (scripts/dev.ts); API_URL points elsewhere. */
const api = process.env.API_URL ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      // ws: the live events socket at /api/ws goes through the same proxy.
      '/api': { target: api, changeOrigin: true, ws: true },
      '/docs': { target: api, changeOrigin: true },
    },
  },
  build: {
    // The report of `npm run size --workspace web` reads it to tell the initial JavaScript apart.
    manifest: true,
    sourcemap: false,
  },
});
