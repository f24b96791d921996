// Test helpers for any package whose integration tests need a database. Kept deliberately
// small: the projects for vitest.config.ts, and one function to open a database in a test.
export { openTestDatabase, type TestDatabase, type TestDriver, testDriver } from './open-test-database';
export type { PostgresTestServer } from './provided-context';
export { startThrowawayCluster, type ThrowawayCluster } from './throwaway-cluster';
export { dbTestProjects, INTEGRATION_TESTS, postgresGlobalSetupPath, UNIT_TESTS } from './vitest-projects';
