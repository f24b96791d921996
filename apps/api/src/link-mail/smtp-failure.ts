/** What a failed send tells us: the server's answer for the team, whether retrying can help, log fields. */
export interface SmtpFailure {
  /** The server's reply ("450 4.2.1 Mailbox busy"), or the connection error's code when it never answered. */
  answer: string;
  /** A 5xx reply: the server refused for good, so retrying would only repeat it. */
  permanent: boolean;
  logFields: Record<string, string | number>;
}

/**
 * Reads nodemailer's error: `responseCode` and `response` when the server answered, `code`
 * (ECONNECTION, ETIMEDOUT, ESOCKET) when it did not.
 */
export function smtpFailure(error: unknown): SmtpFailure {
  const { code, responseCode, response } = (error ?? {}) as {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
  };
  const replied = typeof responseCode === 'number';
  const answer = replied
    ? typeof response === 'string'
      ? response.slice(0, 500)
      : String(responseCode)
    : `No answer from the mail server (${typeof code === 'string' ? code : 'error'})`;
  return {
    answer,
    permanent: replied && responseCode >= 500,
    logFields: {
      error: error instanceof Error ? error.name : typeof error,
      ...(typeof code === 'string' ? { errorCode: code } : {}),
      ...(replied ? { smtpResponseCode: responseCode } : {}),
    },
  };
}
