import { ProblemError } from '../http/problem.js';
import type { Logger } from '../logger.js';
import { MethodNotUsableError } from '../payment-methods/method-lookup.js';

/**
 * What the payer is told whenever the link's method cannot take a payment now (disabled, plugin
 * removed, credentials unreadable). The reason is the team's to fix and is written for them in
 * payment settings; the payer only learns that paying is not possible now and whom to ask.
 */
export const methodUnavailable = () =>
  new ProblemError(503, {
    code: 'method_unavailable',
    message: 'This payment method is not available right now. Contact the sender of the link.',
  });

/**
 * Runs a step of the payment page that looks up the link's method: a refusal written for the team
 * becomes the payer's `method_unavailable`, and the team's reason goes to the log instead.
 */
export async function withPayerFacingRefusals<T>(logger: Logger, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof MethodNotUsableError)) throw error;
    logger.info('payment page refused: the payment method cannot take payments', {
      code: error.problem.code,
    });
    throw methodUnavailable();
  }
}
