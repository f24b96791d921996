import { dbTestProjects } from '@paylinks/db/vitest-projects';
import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { projects: dbTestProjects(import.meta.dirname) } });
