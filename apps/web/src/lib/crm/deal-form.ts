/** The deal form's fields; an empty amount means "no value", which the API takes as null. */
export const dealFields = ['title', 'contactId', 'stageId', 'amount', 'currency'] as const;

export function dealAmountBody(values: Record<string, string>) {
  return values.amount?.trim() ? { amount: values.amount.trim(), currency: values.currency ?? '' } : null;
}
