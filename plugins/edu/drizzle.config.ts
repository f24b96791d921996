import { defineConfig } from 'drizzle-kit';

// The plugin's own tables only; the app applies this folder after its core migrations.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/edu-schema.ts',
  out: './migrations',
  strict: true,
});
