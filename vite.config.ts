import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// The client lives in client/; the built files go to dist/client, which the express server serves.
export default defineConfig({
  root: 'client',
  plugins: [preact()],
  build: { outDir: '../dist/client', emptyOutDir: true },
  server: { proxy: { '/ws': { target: 'ws://localhost:3000', ws: true }, '/api': 'http://localhost:3000', '/healthz': 'http://localhost:3000' } },
});
