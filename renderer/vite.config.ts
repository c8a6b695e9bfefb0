import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The renderer is a plain static bundle loaded from vigil://app (Electron) or the browser host.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      // antd marks its modules "use client" for React Server Components; meaningless in a bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
