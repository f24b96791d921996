import { ConfigError } from './config.js';
import { createConsoleLogger } from './logger.js';
import { startServer } from './server.js';

const logger = createConsoleLogger();
// Refusals that already say what to do: printed as their message, without a stack.
const startupRefusals = new Set(['DataDirectoryLockedError', 'DataDirectoryPermissionsError']);

try {
  const server = await startServer(process.env, logger);
  logger.info('Paylinks is running', { url: server.url, port: server.port });
  console.log(`\n  Paylinks is running at ${server.url}\n  Health: ${server.url}/api/health\n`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (error instanceof ConfigError || (error instanceof Error && startupRefusals.has(error.name))) {
    console.error(`\n  Paylinks could not start: ${error.message}\n`);
  } else {
    console.error('\n  Paylinks could not start:', error);
  }
  process.exit(1);
}
