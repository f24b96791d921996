import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  to: string[];
  parsed: ParsedMail;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps what it is given, parsed as a mail client would. A
 * recipient can be made to answer with SMTP errors first (`answer('busy@…', [451, 451])`), to see
 * retries and failures the way a real mail server causes them; `onMail` hears of each one as it lands.
 */
export async function startSmtpCapture(options: { onMail?: (mail: CapturedMail) => void } = {}) {
  const inbox: CapturedMail[] = [];
  const scripted = new Map<string, number[]>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const code = scripted.get(address.address)?.shift();
      if (code === undefined) return callback();
      const error = Object.assign(new Error(`${code >= 500 ? '5.1.1' : '4.2.1'} Mailbox unavailable`), {
        responseCode: code,
      });
      callback(error);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail = { to: session.envelope.rcptTo.map((r) => r.address), parsed };
          inbox.push(mail);
          options.onMail?.(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    /** The next RCPT TO for `address` get these reply codes, one each, before it is accepted again. */
    answer: (address: string, codes: number[]) => scripted.set(address, [...codes]),
    mailsTo: (address: string) => inbox.filter((mail) => mail.to.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpCapture = Awaited<ReturnType<typeof startSmtpCapture>>;
