export { DEFAULT_DATA_DIR, openDatabase } from './client';
export { DataDirectoryLockedError } from './data-dir-lock';
export { DataDirectoryPermissionsError } from './data-dir-permissions';
export type {
  Database,
  DatabaseDriver,
  OpenDatabaseOptions,
  PaylinksDb,
  PaylinksExecutor,
  PaylinksSchema,
  PaylinksTransaction,
  PluginMigrations,
} from './database';
export {
  type DatabaseErrorInfo,
  databaseErrorOf,
  isCheckViolation,
  isDatabaseUnavailable,
  isForeignKeyViolation,
  isSqlState,
  isUniqueViolation,
} from './database-errors';
export { getMigrationStatus, type MigrationStatus } from './migration-status';
export { defaultMigrationsFolder } from './migrations-folder';
export * as schema from './schema/index';
export * from './schema/index';
export { selectRows } from './select-rows';
export type { StatementListener } from './statement-observer';
