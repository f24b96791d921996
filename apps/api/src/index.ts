export { type AppDeps, createApp } from './app.js';
export { type Clock, systemClock } from './app-context.js';
export { type AppConfig, ConfigError, loadConfig } from './config.js';
export { createConsoleLogger, createMemoryLogger, type Logger } from './logger.js';
export { type RunningServer, startServer } from './server.js';
