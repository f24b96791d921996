import { describe, it } from 'vitest';
import * as checks from './provider-conformance-checks.js';
import type {
  ProviderConformanceContext,
  ProviderConformanceHarness,
} from './provider-conformance-harness.js';

const exponents = [0, 2, 3] as const;

/**
 * The contract every payment provider plugin must keep, as vitest tests. Call it from the plugin's
 * own test file: `describeProviderConformance('stripe', harness)`.
 */
export function describeProviderConformance<C, F, S extends string>(
  name: string,
  harness: ProviderConformanceHarness<C, F, S>,
): void {
  // The checks only read the harness; widening its type parameters is safe and keeps them generic.
  const h = harness as unknown as ProviderConformanceHarness<unknown, unknown, string>;
  const setup = async () => (await h.setup()) as ProviderConformanceContext<unknown, unknown, string>;

  describe(`${name}: payment provider conformance`, () => {
    it('starts checkouts idempotently per idempotency key', async () => {
      await checks.checkoutIsIdempotentPerKey(await setup());
    });

    describe('webhooks', () => {
      it('accepts an authentic webhook signed inside the tolerance window', async () => {
        await checks.acceptsAuthenticWebhooks(h, await setup());
      });
      if (h.webhookAuthentication === 'refetch') {
        it('changes nothing for a forged id that re-fetching does not confirm', async () => {
          await checks.ignoresForgedWebhooks(h, await setup());
        });
        it('reports the state it re-fetches, not the one a webhook was sent for', async () => {
          await checks.reportsRefetchedState(h, await setup());
        });
        it('changes nothing for bodies that name no payment', async () => {
          await checks.refusesUnreadableWebhooks(await setup());
        });
      } else {
        it('rejects tampered payloads', async () => {
          await checks.rejectsTamperedWebhooks(h, await setup());
        });
        it('rejects payloads signed outside the tolerance window', async () => {
          await checks.rejectsStaleWebhooks(h, await setup());
        });
        it('rejects unsigned payloads', async () => {
          await checks.rejectsUnsignedWebhooks(h, await setup());
        });
      }
      it('never turns events for payments it did not create into events', async () => {
        await checks.ignoresForeignPayments(h, await setup());
      });
      it('gives each event a stable, distinct provider event id', async () => {
        await checks.eventIdsIdentifyEvents(h, await setup());
      });
    });

    describe('status mapping', () => {
      it.each(Object.keys(h.statusTable))('maps provider status %s as the table says', async (status) => {
        await checks.statusMapsAsDocumented(h, await setup(), status);
      });
    });

    describe('money', () => {
      // it.for rather than it.each: only it.for hands the test context (and so skip) to the callback.
      it.for(exponents)('round-trips amounts in a %i-decimal currency', async (exponent, test) => {
        const ctx = await setup();
        const currency = checks.currencyForExponent(ctx.provider.currencies, exponent);
        if (currency === undefined) {
          test.skip(`the provider supports no ${exponent}-decimal currency`);
          return;
        }
        await checks.amountsRoundTrip(h, ctx, currency);
      });
    });

    it('declares capabilities that match the functions it has', async () => {
      checks.capabilitiesMatchFunctions(await setup());
    });

    it('closes open checkouts with cancelCheckout, when it has one', async (test) => {
      const ctx = await setup();
      if (!ctx.provider.cancelCheckout) {
        test.skip('the provider has no cancelCheckout');
        return;
      }
      await checks.cancelCheckoutCloses(ctx);
    });

    describe('partial refunds', () => {
      it.for(exponents)('refunds a %i-decimal payment in parts, each once', async (exponent, test) => {
        const ctx = await setup();
        const currency = checks.currencyForExponent(ctx.provider.currencies, exponent);
        if (!ctx.provider.capabilities.partialRefunds || currency === undefined) {
          test.skip(`no partial refunds in a ${exponent}-decimal currency`);
          return;
        }
        await checks.refundsInParts(ctx, currency);
      });
    });

    it('fails fetchStatus and refund for references it never issued', async () => {
      await checks.unknownReferencesFail(await setup());
    });

    it('refuses obviously wrong credentials with a zod error', async () => {
      await checks.credentialsAreValidated(h, await setup());
    });
  });
}
