import { defineConfig } from 'vite';

// The server serves dist/ at /console/ (falling back to index.html), so every asset URL is prefixed.
export default defineConfig({
  base: '/console/',
  // Vite 8 transforms TS/JSX with Oxc; point the automatic runtime at preact instead of react.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The page CSP is `script-src 'self'`; every supported browser has modulepreload, so skip the polyfill.
    modulePreload: { polyfill: false },
  },
  server: {
    // `vite` dev server: forward API and socket traffic to a locally running carechat server.
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/ws': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
