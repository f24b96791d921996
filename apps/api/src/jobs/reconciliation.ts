import { paymentMethods } from '@paylinks/db';
import { inArray } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { errorFields } from '../logger.js';
import { openMethodCredentials } from '../payment-methods/method-lookup.js';
import { closeSupersededCheckouts } from '../payments/close-superseded-checkouts.js';
import { applyProviderEvent } from '../webhooks/apply-provider-event.js';
import {
  type ClaimedPayment,
  claimStalePayments,
  reconcileLeaseMs,
  releaseClaim,
} from './reconciliation-claim.js';
import { repeatEvery } from './repeat-every.js';

export { reconcileLeaseMs };

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
type MethodRow = typeof paymentMethods.$inferSelect;

/**
 * Asks the provider about Processing payments whose webhook never came. No transaction is open
 * while a provider is asked: the batch is claimed with a lease in one committed statement, each
 * provider answers in its own time, and each answer is applied in a short transaction of its own.
 * On PGlite (one connection) anything longer would make every other request wait for the provider.
 * Several instances never ask about one payment at once: the lease keeps other runs away.
 */
export async function reconcileStalePayments(
  deps: Deps,
  options: ReconciliationOptions,
): Promise<ReconciliationReport> {
  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + reconcileLeaseMs);
  const claimed = await claimStalePayments(deps.db, {
    now,
    changedBefore: new Date(now.getTime() - options.olderThanMs),
    limit: options.limit,
    leaseUntil,
  });
  const report: ReconciliationReport = { checked: 0, changed: 0, failed: 0 };
  if (claimed.length === 0) return report;
  const methods = await deps.db
    .select()
    .from(paymentMethods)
    .where(inArray(paymentMethods.id, [...new Set(claimed.map((p) => p.methodId))]));
  for (const payment of claimed) {
    report.checked += 1;
    const method = methods.find((m) => m.id === payment.methodId && m.workspaceId === payment.workspaceId);
    const outcome = method ? await reconcileOne(deps, method, payment, leaseUntil) : 'failed';
    if (!method) await releaseQuietly(deps, payment, leaseUntil);
    if (outcome === 'changed') report.changed += 1;
    if (outcome === 'failed') report.failed += 1;
  }
  return report;
}

async function reconcileOne(
  deps: Deps,
  method: MethodRow,
  payment: ClaimedPayment,
  leaseUntil: Date,
): Promise<'changed' | 'unchanged' | 'failed'> {
  const facts = { workspaceId: payment.workspaceId, paymentId: payment.id, methodId: method.id };
  const provider = deps.providers.get(method.providerId);
  try {
    if (!provider?.fetchStatus || !provider.capabilities.statusFetch) {
      await releaseClaim(deps.db, payment, leaseUntil);
      return 'unchanged';
    }
    const credentials = openMethodCredentials(deps.secretKey, { method, provider });
    const fetched = await provider.fetchStatus({
      providerReference: payment.providerReference!,
      credentials,
    });
    if (!fetched.ok) {
      deps.logger.info('reconciliation: provider did not answer', { ...facts, code: fetched.error.code });
      await releaseClaim(deps.db, payment, leaseUntil);
      return 'failed';
    }
    // Its own transaction: one bad row must not undo the rest of the batch, and no lock is held
    // longer than applying one answer takes.
    const result = await deps.db.transaction(async (tx) => {
      const applied = await applyProviderEvent(tx, deps.logger, {
        payment,
        event: fetched.value,
        source: 'reconciliation',
        actor: provider.id,
        providerName: provider.displayName,
        now: deps.clock.now(),
      });
      await releaseClaim(tx, payment, leaseUntil);
      return applied;
    });
    return result.kind === 'applied' ? 'changed' : 'unchanged';
  } catch (error) {
    deps.logger.error('reconciliation failed for a payment', { ...facts, ...errorFields(error) });
    await releaseQuietly(deps, payment, leaseUntil);
    return 'failed';
  }
}

/** After a failure the next run may try again; if even this fails, the lease runs out on its own. */
async function releaseQuietly(deps: Deps, payment: ClaimedPayment, leaseUntil: Date): Promise<void> {
  try {
    await releaseClaim(deps.db, payment, leaseUntil);
  } catch (error) {
    deps.logger.error('reconciliation could not release a payment', {
      workspaceId: payment.workspaceId,
      paymentId: payment.id,
      ...errorFields(error),
    });
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
  return repeatEvery({ intervalMs, logger: deps.logger, failure: 'reconciliation run failed' }, () =>
    runOnce(deps, options),
  );
}

async function runOnce(deps: Deps, options: ReconciliationOptions): Promise<void> {
  try {
    const report = await reconcileStalePayments(deps, options);
    if (report.checked > 0) deps.logger.info('reconciliation run', { ...report });
  } catch (error) {
    deps.logger.error('reconciliation run failed', errorFields(error));
  }
  // One charge per deal link: checkouts a paid link still has open (after a manual confirmation, a
  // return page, this job, or a provider that could not answer at the time) are closed here.
  try {
    const closed = await closeSupersededCheckouts(deps, 'all');
    if (closed > 0) deps.logger.info('closed checkouts of paid deal links', { closed });
  } catch (error) {
    deps.logger.error('closing checkouts of paid deal links failed', errorFields(error));
  }
}
