import { type PaylinksTransaction, paymentMethods, payments } from '@paylinks/db';
import { and, asc, eq, inArray, isNotNull, lt } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { openMethodCredentials } from '../payment-methods/method-lookup.js';
import { applyProviderEvent, type PaymentRow } from '../webhooks/apply-provider-event.js';

export interface ReconciliationOptions {
  /** Only payments whose status has not changed for this long: the webhook had its chance. */
  olderThanMs: number;
  limit: number;
}

export interface ReconciliationReport {
  checked: number;
  changed: number;
  failed: number;
}

type Deps = Pick<AppContext, 'db' | 'clock' | 'logger' | 'secretKey' | 'providers'>;

/**
 * Asks the provider about Processing payments whose webhook never came. The batch is locked with
 * SKIP LOCKED for the whole run, so several instances (or a webhook being applied right now) never
 * work on the same payment; whatever another run holds is simply left for it.
 */
export function reconcileStalePayments(
  deps: Deps,
  options: ReconciliationOptions,
): Promise<ReconciliationReport> {
  const now = deps.clock.now();
  const cutoff = new Date(now.getTime() - options.olderThanMs);
  return deps.db.transaction(async (tx) => {
    const stale = await tx
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.status, 'processing'),
          isNotNull(payments.providerReference),
          lt(payments.statusChangedAt, cutoff),
        ),
      )
      .orderBy(asc(payments.statusChangedAt))
      .limit(options.limit)
      .for('update', { skipLocked: true });
    const report: ReconciliationReport = { checked: 0, changed: 0, failed: 0 };
    if (stale.length === 0) return report;
    const methods = await tx
      .select()
      .from(paymentMethods)
      .where(inArray(paymentMethods.id, [...new Set(stale.map((p) => p.methodId))]));
    for (const payment of stale) {
      report.checked += 1;
      const method = methods.find((m) => m.id === payment.methodId && m.workspaceId === payment.workspaceId);
      const outcome = method ? await reconcileOne(deps, tx, method, payment, now) : 'failed';
      if (outcome === 'changed') report.changed += 1;
      if (outcome === 'failed') report.failed += 1;
    }
    return report;
  });
}

async function reconcileOne(
  deps: Deps,
  tx: PaylinksTransaction,
  method: typeof paymentMethods.$inferSelect,
  payment: PaymentRow,
  now: Date,
): Promise<'changed' | 'unchanged' | 'failed'> {
  const facts = { workspaceId: payment.workspaceId, paymentId: payment.id, methodId: method.id };
  const provider = deps.providers.get(method.providerId);
  if (!provider?.fetchStatus || !provider.capabilities.statusFetch) return 'unchanged';
  try {
    const credentials = openMethodCredentials(deps.secretKey, { method, provider });
    const fetched = await provider.fetchStatus({
      providerReference: payment.providerReference!,
      credentials,
    });
    if (!fetched.ok) {
      deps.logger.info('reconciliation: provider did not answer', { ...facts, code: fetched.error.code });
      return 'failed';
    }
    // A savepoint per payment: one bad row must not undo the rest of the batch.
    const result = await tx.transaction((sp) =>
      applyProviderEvent(sp, deps.logger, {
        payment,
        event: fetched.value,
        source: 'reconciliation',
        actor: provider.id,
        now,
      }),
    );
    return result.kind === 'applied' ? 'changed' : 'unchanged';
  } catch (error) {
    deps.logger.error('reconciliation failed for a payment', {
      ...facts,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return 'failed';
  }
}

/**
 * Runs reconciliation every `intervalMs` (never two runs of this instance at once) until the
 * returned function is called; the stop function resolves once a run in progress has finished.
 */
export function startReconciliationLoop(
  deps: Deps,
  intervalMs: number,
  options: ReconciliationOptions = { olderThanMs: 10 * 60_000, limit: 50 },
): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = reconcileStalePayments(deps, options)
      .then((report) => {
        if (report.checked > 0) deps.logger.info('reconciliation run', { ...report });
      })
      .catch((error: unknown) => {
        deps.logger.error('reconciliation run failed', {
          error: error instanceof Error ? error.name : 'unknown',
        });
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(tick, intervalMs);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
