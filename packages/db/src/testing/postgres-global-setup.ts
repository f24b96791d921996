import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../client';
import { databaseUrlFor, PROVIDED_KEY, pluginMigrationsFrom } from './provided-context';
import { startThrowawayCluster } from './throwaway-cluster';

/**
 * vitest globalSetup for the `postgres` project. With DATABASE_URL it uses that server (the
 * user needs CREATEDB); otherwise it starts a private cluster from local binaries and removes it
 * afterwards. Either way it migrates one template database, and every openTestDatabase() call
 * copies it, which costs milliseconds instead of a migration.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = process.env.DATABASE_URL ? undefined : await startThrowawayCluster();
  const adminUrl = process.env.DATABASE_URL ?? cluster!.adminUrl;
  const templateDatabase = `paylinks_template_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${templateDatabase}"`);
    const template = await openDatabase({
      databaseUrl: databaseUrlFor(adminUrl, templateDatabase),
      pluginMigrations: pluginMigrationsFrom({ ...process.env, ...project.config.env }),
    });
    // CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template.
    await template.close();
  } catch (error) {
    await admin.end();
    await cluster?.stop();
    throw error;
  }
  project.provide(PROVIDED_KEY, { adminUrl, templateDatabase });

  return async () => {
    try {
      if (!cluster) await admin.unsafe(`drop database if exists "${templateDatabase}" with (force)`);
    } finally {
      await admin.end();
      await cluster?.stop();
    }
  };
}
