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
