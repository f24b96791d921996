import type { FormObject } from './form-body.js';
import { metadataOf, text } from './form-body.js';
import {
  type Json,
  publicSession,
  type SimCharge,
  type SimIntent,
  type SimRefund,
  type SimSession,
  simId,
} from './simulator-objects.js';

/** An API failure, answered with Stripe's status and error body. */
export class SimulatorError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const invalid = (message: string, code?: string, param?: string) =>
  new SimulatorError(400, 'invalid_request_error', message, code, param);

const MIN_EXPIRY_S = 30 * 60;
const MAX_EXPIRY_S = 24 * 60 * 60;

export type StoreOptions = {
  now: () => Date;
  baseUrl: () => string;
  /** Lower-case currencies the account takes, each with Stripe's decimal digits. */
  currencyDigits: (currency: string) => number | undefined;
  emit: (type: string, object: Json) => void;
  refunds: 'immediate' | 'pending';
};

/** The simulator's account: sessions, intents, charges and refunds, changed as Stripe would. */
export function createSimulatorStore(options: StoreOptions) {
  const sessions = new Map<string, SimSession>();
  const intents = new Map<string, SimIntent>();
  const charges = new Map<string, SimCharge>();
  const refunds = new Map<string, SimRefund>();
  const seconds = () => Math.floor(options.now().getTime() / 1000);
  let refundMode = options.refunds;

  function session(id: string): SimSession {
    const found = sessions.get(id);
    if (!found)
      throw new SimulatorError(
        404,
        'invalid_request_error',
        `No such checkout.session: '${id}'`,
        'resource_missing',
        'id',
      );
    // Stripe expires sessions on its own at expires_at.
    if (found.status === 'open' && found.expires_at <= seconds()) expire(found);
    return found;
  }

  function expire(target: SimSession) {
    target.status = 'expired';
    target.url = null;
    options.emit('checkout.session.expired', publicSession(target));
  }

  function intentFor(target: SimSession): SimIntent {
    if (target.payment_intent) return intents.get(target.payment_intent)!;
    const intent: SimIntent = {
      id: simId('pi'),
      object: 'payment_intent',
      amount: target.amount_total,
      currency: target.currency,
      status: 'requires_payment_method',
      metadata: { ...target.intentMetadata },
      latest_charge: null,
      last_payment_error: null,
      created: seconds(),
      livemode: false,
    };
    intents.set(intent.id, intent);
    target.payment_intent = intent.id;
    return intent;
  }

  function charge(intent: SimIntent) {
    const created: SimCharge = {
      id: simId('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_refunded: 0,
      currency: intent.currency,
      payment_intent: intent.id,
      paid: true,
      refunded: false,
      status: 'succeeded',
      metadata: { ...intent.metadata },
      created: seconds(),
      livemode: false,
    };
    charges.set(created.id, created);
    intent.latest_charge = created.id;
    intent.status = 'succeeded';
  }

  function applyRefund(done: SimRefund) {
    const paid = charges.get(done.charge);
    if (!paid) throw new Error(`Refund ${done.id} names no charge`);
    paid.amount_refunded += done.amount;
    paid.refunded = paid.amount_refunded === paid.amount;
    options.emit('charge.refunded', { ...paid });
  }

  function openSession(id: string): SimSession {
    const target = session(id);
    if (target.status !== 'open')
      throw invalid(`This Checkout Session is ${target.status}`, 'checkout_session_not_open');
    return target;
  }

  return {
    sessions,
    intents,
    charges,
    refunds,
    session,

    createSession(form: FormObject): SimSession {
      if (text(form, 'mode') !== 'payment')
        throw invalid('The simulator takes mode=payment only', 'parameter_invalid_string', 'mode');
      const currency = text(form, 'line_items', 0, 'price_data', 'currency') ?? '';
      const digits = options.currencyDigits(currency);
      if (digits === undefined || currency !== currency.toLowerCase()) {
        throw invalid(
          `Invalid currency: ${currency}. Stripe takes lower-case ISO codes it supports`,
          'parameter_invalid_string',
          'line_items[0][price_data][currency]',
        );
      }
      const unitAmount = text(form, 'line_items', 0, 'price_data', 'unit_amount') ?? '';
      if (!/^[1-9]\d*$/.test(unitAmount))
        throw invalid(
          'unit_amount must be a positive integer',
          'parameter_invalid_integer',
          'line_items[0][price_data][unit_amount]',
        );
      const amount = Number(unitAmount);
      if (digits === 3 && amount % 10 !== 0) {
        throw invalid(
          'Amounts in three-decimal currencies must end in 0',
          'invalid_amount',
          'line_items[0][price_data][unit_amount]',
        );
      }
      if (text(form, 'line_items', 0, 'quantity') !== '1')
        throw invalid('The simulator takes quantity 1', 'parameter_invalid_integer');
      const name = text(form, 'line_items', 0, 'price_data', 'product_data', 'name');
      if (!name)
        throw invalid(
          'Missing required param: line_items[0][price_data][product_data][name]',
          'parameter_missing',
        );
      const successUrl = text(form, 'success_url');
      if (!successUrl)
        throw invalid('Missing required param: success_url', 'parameter_missing', 'success_url');
      const now = seconds();
      const expiresAt = text(form, 'expires_at');
      const expires = expiresAt === undefined ? now + MAX_EXPIRY_S : Number(expiresAt);
      if (!Number.isSafeInteger(expires) || expires < now + MIN_EXPIRY_S || expires > now + MAX_EXPIRY_S) {
        throw invalid(
          'expires_at must be between 30 minutes and 24 hours from now',
          'parameter_invalid_integer',
          'expires_at',
        );
      }
      const id = simId('cs_test');
      const created: SimSession = {
        id,
        object: 'checkout.session',
        mode: 'payment',
        status: 'open',
        payment_status: 'unpaid',
        amount_total: amount,
        amount_subtotal: amount,
        currency,
        customer_email: text(form, 'customer_email') ?? null,
        client_reference_id: text(form, 'client_reference_id') ?? null,
        metadata: metadataOf(form, 'metadata'),
        success_url: successUrl,
        cancel_url: text(form, 'cancel_url') ?? null,
        expires_at: expires,
        created: now,
        url: `${options.baseUrl()}/pay/${id}`,
        payment_intent: null,
        livemode: false,
        description: name,
        intentMetadata: metadataOf(form, 'payment_intent_data', 'metadata'),
      };
      sessions.set(id, created);
      return created;
    },

    expireSession(id: string): SimSession {
      const target = session(id);
      if (target.status !== 'open') {
        throw invalid(
          'Only Checkout Sessions with a status in ["open"] can be expired.',
          'checkout_session_not_open',
        );
      }
      expire(target);
      return target;
    },

    /** The payer paid by card: complete and paid at once. */
    pay(id: string) {
      const target = openSession(id);
      charge(intentFor(target));
      target.status = 'complete';
      target.payment_status = 'paid';
      target.url = null;
      options.emit('checkout.session.completed', publicSession(target));
    },

    /** The payer chose a delayed method (SEPA debit): complete but unpaid until it settles. */
    payLater(id: string) {
      const target = openSession(id);
      intentFor(target).status = 'processing';
      target.status = 'complete';
      target.url = null;
      options.emit('checkout.session.completed', publicSession(target));
    },

    settleLater(id: string, outcome: 'succeeded' | 'failed') {
      const target = session(id);
      const intent = intentFor(target);
      if (outcome === 'succeeded') {
        charge(intent);
        target.payment_status = 'paid';
        options.emit('checkout.session.async_payment_succeeded', publicSession(target));
      } else {
        intent.status = 'requires_payment_method';
        options.emit('checkout.session.async_payment_failed', publicSession(target));
      }
    },

    /** The bank refused the card: the session stays open for another try, as on Stripe's page. */
    decline(id: string) {
      const intent = intentFor(openSession(id));
      intent.status = 'requires_payment_method';
      intent.last_payment_error = {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'generic_decline',
      };
      options.emit('payment_intent.payment_failed', { ...intent });
    },

    refund(form: FormObject): SimRefund {
      const intentId = text(form, 'payment_intent');
      const intent = intentId ? intents.get(intentId) : undefined;
      if (!intent)
        throw new SimulatorError(
          404,
          'invalid_request_error',
          `No such payment_intent: '${intentId}'`,
          'resource_missing',
          'payment_intent',
        );
      const paid = intent.latest_charge ? charges.get(intent.latest_charge) : undefined;
      if (!paid || intent.status !== 'succeeded')
        throw invalid('This PaymentIntent has no successful charge to refund', 'charge_not_refundable');
      if (paid.refunded)
        throw invalid(`Charge ${paid.id} has already been refunded.`, 'charge_already_refunded');
      const left = paid.amount - paid.amount_refunded;
      const asked = text(form, 'amount');
      const amount = asked === undefined ? left : Number(asked);
      if (!Number.isSafeInteger(amount) || amount <= 0)
        throw invalid('Invalid positive integer', 'parameter_invalid_integer', 'amount');
      if (amount > left)
        throw invalid(
          `Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`,
          'amount_too_large',
          'amount',
        );
      const created: SimRefund = {
        id: simId('re'),
        object: 'refund',
        amount,
        currency: paid.currency,
        charge: paid.id,
        payment_intent: intent.id,
        status: refundMode === 'immediate' ? 'succeeded' : 'pending',
        metadata: metadataOf(form, 'metadata'),
        created: seconds(),
      };
      refunds.set(created.id, created);
      options.emit('refund.created', { ...created });
      if (created.status === 'succeeded') applyRefund(created);
      return created;
    },

    /** From now on refunds go through at once, or wait for settleRefund / failRefund. */
    setRefundMode(mode: 'immediate' | 'pending') {
      refundMode = mode;
    },

    /** The team refunded in Stripe's own dashboard: a refund without our metadata. */
    refundInDashboard(sessionId: string, amount?: number): SimRefund {
      const intent = session(sessionId).payment_intent;
      return this.refund({
        ...(intent ? { payment_intent: intent } : {}),
        ...(amount === undefined ? {} : { amount: String(amount) }),
      });
    },

    /** A pending refund did not go through: nothing returned (refunds: 'pending'). */
    failRefund(id: string) {
      const pending = refunds.get(id);
      if (pending?.status !== 'pending') throw new Error(`No pending refund ${id}`);
      pending.status = 'failed';
      options.emit('charge.refund.updated', { ...pending });
    },

    /** A pending refund went through (refunds: 'pending'). */
    settleRefund(id: string) {
      const pending = refunds.get(id);
      if (pending?.status !== 'pending') throw new Error(`No pending refund ${id}`);
      pending.status = 'succeeded';
      applyRefund(pending);
      options.emit('charge.refund.updated', { ...pending });
    },

    /** A session as the API returns it, with `expand` applied. */
    present(target: SimSession, expand: readonly string[]): Json {
      const json = publicSession(target);
      const wantsIntent = expand.some(
        (path) => path === 'payment_intent' || path.startsWith('payment_intent.'),
      );
      if (wantsIntent && target.payment_intent) {
        const intent = intents.get(target.payment_intent)!;
        const withCharge = expand.includes('payment_intent.latest_charge') && intent.latest_charge;
        json.payment_intent = {
          ...intent,
          ...(withCharge ? { latest_charge: { ...charges.get(intent.latest_charge!) } } : {}),
        };
      }
      return json;
    },
  };
}

export type SimulatorStore = ReturnType<typeof createSimulatorStore>;
