import { describe, expect, it } from 'vitest';
import * as core from './index.js';

describe('@paylinks/core public surface', () => {
  it('exports the functions and constants other packages rely on', () => {
    const expected = [
      'applyPaymentEvent',
      'settlePaymentEvents',
      'paymentEventPrecedence',
      'decideClickThrough',
      'REPEAT_VISIT_WINDOW_MS',
      'parseCurrency',
      'currencyExponent',
      'supportedCurrencies',
      'ok',
      'err',
      'domainError',
      'domainErrorCodes',
      'generateLinkToken',
      'isWellFormedLinkToken',
      'parseValidityDays',
      'expiresAt',
      'daysLeft',
      'isExpired',
      'MAX_VALIDITY_DAYS',
      'parseMoney',
      'createMoney',
      'toDecimalString',
      'formatMoney',
      'isZero',
      'compareMoney',
      'MAX_MINOR_UNITS',
      'linkOrigins',
      'linkState',
      'isPayable',
      'parseLinkAmount',
      'parseLinkOrigin',
      'shouldRemoveLinkAfterPayment',
      'supportsCurrency',
      'chargesExactly',
      'paymentStatuses',
      'paymentStatusLabel',
      'isSuccessful',
      'completedFilterStatuses',
      'parsePaymentStatus',
      'canTransition',
      'checkTransition',
      'paymentTransitions',
    ];
    for (const name of expected) expect(core, name).toHaveProperty(name);
  });
});
