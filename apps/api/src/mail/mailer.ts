import { createTransport } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Sends one message; rejects when the mail server does not take it. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * Mail through the SMTP server in `smtpUrl` (smtp://user:pass@host:port, smtps:// for TLS from the
 * start). The timeouts are short because a person waits for the answer that says whether it went.
 */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const url = new URL(smtpUrl);
  const transport = createTransport({
    host: url.hostname,
    port: url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587,
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    send: async (message) => {
      await transport.sendMail({ from, ...message });
    },
  };
}

/** no-reply at the public address's host, unless the operator names a sender. */
export function defaultMailFrom(publicUrl: string): string {
  return `Paylinks <no-reply@${new URL(publicUrl).hostname}>`;
}
