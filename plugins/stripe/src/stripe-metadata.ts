/** What we put on every Stripe object we create, so its events can be told from other integrations'. */
export type PaylinksMetadata = { paymentId: string; linkId?: string; workspaceId?: string };

export function paylinksMetadata(input: {
  paymentId: string;
  linkId?: string | undefined;
  workspaceId?: string | undefined;
}): Record<string, string> {
  return {
    paymentId: input.paymentId,
    ...(input.linkId === undefined ? {} : { linkId: input.linkId }),
    ...(input.workspaceId === undefined ? {} : { workspaceId: input.workspaceId }),
  };
}

/** Our payment id, when the object carries our metadata; undefined marks someone else's object. */
export function ourPaymentId(metadata: unknown): string | undefined {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const paymentId = (metadata as Record<string, unknown>).paymentId;
  return typeof paymentId === 'string' && paymentId.length > 0 ? paymentId : undefined;
}

/**
 * A refund's metadata: our payment, our refund (so its settlement finds it even before refund()'s
 * answer is recorded), and whether it is the one that refunds the payment in full.
 */
export function refundMetadata(
  paymentId: string,
  completes: boolean,
  refundId?: string | undefined,
): Record<string, string> {
  return {
    paymentId,
    ...(refundId === undefined ? {} : { [REFUND_ID_KEY]: refundId }),
    ...(completes ? { [REFUNDS_IN_FULL_KEY]: 'true' } : {}),
  };
}

export const REFUND_ID_KEY = 'refundId';

/** Our refund's id, on a refund we made. */
export function ourRefundId(metadata: unknown): string | undefined {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const refundId = (metadata as Record<string, unknown>)[REFUND_ID_KEY];
  return typeof refundId === 'string' && refundId.length > 0 ? refundId : undefined;
}

export const REFUNDS_IN_FULL_KEY = 'refundsInFull';

/** Set on our refund that completes the payment's refunds; absent on a partial one. */
export function refundsInFull(metadata: unknown): boolean {
  return (
    typeof metadata === 'object' &&
    metadata !== null &&
    (metadata as Record<string, unknown>)[REFUNDS_IN_FULL_KEY] === 'true'
  );
}
