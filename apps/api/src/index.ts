export { type AppDeps, type Clock, createApp, systemClock } from './app.js';
export { type AppConfig, ConfigError, loadConfig } from './config.js';
export { createConsoleLogger, createMemoryLogger, type Logger } from './logger.js';
export { type RunningServer, startServer } from './server.js';
