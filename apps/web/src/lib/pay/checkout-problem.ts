import { m } from '$lib/paraglide/messages';
import { declineText, type FormField, fieldErrorText, formFieldOf } from './checkout-fields';
import { type PayState, stateOfProblem } from './pay-state';

export interface Problem {
  status: number;
  code?: string;
  field?: string;
  errors?: { code: string; field?: string; message: string }[];
}

/** How the payment form shows a refused checkout. */
export type CheckoutRefusal =
  /** The form again, each message by its field (or above the form when it belongs to none). */
  | { kind: 'form'; fieldErrors: Partial<Record<FormField, string>>; formError?: string }
  /** The payment cannot go on from this form: the page becomes that state's page. */
  | { kind: 'state'; state: PayState };

const formStates = new Set([402, 422, 503]);

/**
 * Sorts a refused checkout into errors the payer can fix on the form (a field, a declined card, a
 * provider that did not answer) and states that end this attempt (paid meanwhile, paused, …).
 */
export function checkoutRefusal(problem: Problem, options: { hasCardFields: boolean }): CheckoutRefusal {
  const code = problem.code ?? '';
  if (problem.status === 503 && code !== 'method_unavailable') {
    return { kind: 'form', fieldErrors: {}, formError: m.error_provider_unavailable() };
  }
  if (problem.status === 402) {
    const text = declineText(code);
    return options.hasCardFields
      ? { kind: 'form', fieldErrors: { cardNumber: text } }
      : { kind: 'form', fieldErrors: {}, formError: text };
  }
  if (problem.status === 422 && problem.field !== 'paymentId') {
    const fieldErrors: Partial<Record<FormField, string>> = {};
    const issues = problem.errors?.length ? problem.errors : [{ code, field: problem.field, message: '' }];
    let unplaced = false;
    for (const issue of issues) {
      const field = formFieldOf(issue.field);
      if (field === undefined) unplaced = true;
      else fieldErrors[field] ??= fieldErrorText(field, issue.code);
    }
    return { kind: 'form', fieldErrors, ...(unplaced ? { formError: m.error_unexpected() } : {}) };
  }
  if (formStates.has(problem.status) && code !== 'method_unavailable') {
    return { kind: 'form', fieldErrors: {}, formError: m.error_unexpected() };
  }
  return { kind: 'state', state: stateOfProblem(problem.status, code) };
}
