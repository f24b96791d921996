import type { PluginMigrations } from '@paylinks/db';
import { createEduPaymentType, type EduPaymentType } from '@paylinks/plugin-edu';

/**
 * The payment-type plugins built into this app. Unlike payment methods they need no per-workspace
 * credentials or runtime options, so one list serves every app instance: the migrations at open,
 * the routes under /api/<id>/, the link form and the hooks in applyPaymentEvent.
 */
export const installedPaymentTypes: readonly EduPaymentType[] = [createEduPaymentType()];

export type InstalledPaymentType = (typeof installedPaymentTypes)[number];

export function paymentTypeOf(id: string): InstalledPaymentType | undefined {
  return installedPaymentTypes.find((type) => type.id === id);
}

/** Each type plugin's own migrations, applied after the core ones, each with its own table. */
export function paymentTypeMigrations(): PluginMigrations[] {
  return installedPaymentTypes.flatMap((type) => (type.migrations ? [type.migrations] : []));
}
