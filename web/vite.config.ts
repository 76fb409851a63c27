/**
 * Vite configuration of the web UI. `web/build.ts` builds with it into
 * web/dist, which the API serves (src/api/web-static.ts). For UI work,
 * `npx vite web` serves the sources with hot reload and forwards the API
 * to a running `hotline start` (HOTLINE_API, default http://127.0.0.1:8080).
 */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd makes one large chunk; the UI is served from the local network and cached (assets are immutable).
    chunkSizeWarningLimit: 3000,
  },
  server: {
    proxy: {
      '/api': process.env.HOTLINE_API ?? 'http://127.0.0.1:8080',
      '/health': process.env.HOTLINE_API ?? 'http://127.0.0.1:8080',
      '/openapi.json': process.env.HOTLINE_API ?? 'http://127.0.0.1:8080',
    },
  },
});
