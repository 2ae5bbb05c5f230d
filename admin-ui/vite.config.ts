// The shell and every plugin's pages (plugins/*/ui) in one build. The map
// (maplibre-gl) is only imported lazily, so it lands in its own chunk.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: { fs: { allow: ['..'] } },
});
