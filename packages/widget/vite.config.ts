import { defineConfig, type Plugin } from 'vite';

/** Fails the build if zod slips into the bundle (import from `@carechat/protocol/client`, not the root). */
function noZodInBundle(): Plugin {
  return {
    name: 'carechat-no-zod-in-widget',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type === 'chunk' && file.code.includes('__zod_globalConfig')) {
          this.error(`zod ended up in ${file.fileName}: the widget must import '@carechat/protocol/client'`);
        }
      }
    },
  };
}

// One ES module (`dist/carechat-widget.js`) plus one stylesheet (`dist/carechat-widget.css`) that the
// script links next to itself at runtime (the host CSP allows no inline styles). The server serves
// dist/ at /widget/.
export default defineConfig({
  // Vite 8 transforms TS/JSX with Oxc: use preact's automatic JSX runtime.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [noZodInBundle()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    // Library mode keeps whitespace in ES output by default; this file ships to browsers as is.
    rolldownOptions: { output: { minify: true } },
    lib: {
      entry: 'src/main.tsx',
      formats: ['es'],
      fileName: () => 'carechat-widget.js',
      cssFileName: 'carechat-widget',
    },
  },
});
