import { writeFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The API's own SMTP capture (smtp-server + mailparser, from the API's test dependencies), loaded at
// run time like the provider simulators: the web app does not depend on the API's test code.
const captureModule = join(import.meta.dirname, '../../../api/src/link-mail/smtp-capture-fixture.ts');

interface Capture {
  url: string;
  inbox: { to: string[]; parsed: { subject?: string; text?: string; html?: string | false } }[];
  close(): Promise<void>;
}

/** What a journey reads of one captured mail. */
export interface CapturedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface MailCapture {
  /** SMTP_URL for the server under test. */
  smtpUrl: string;
  /** Each captured mail lands here as <n>.json ({ to, subject, text, html }), oldest first. */
  dir: string;
  stop(): Promise<void>;
}

/**
 * A local SMTP server the built server mails through; what it receives is written to files, which
 * any test worker can read without asking this process.
 */
export async function startMailCapture(): Promise<MailCapture> {
  const { startSmtpCapture } = (await import(pathToFileURL(captureModule).href)) as {
    startSmtpCapture(options?: { onMail?: (mail: Capture['inbox'][number]) => void }): Promise<Capture>;
  };
  const dir = await mkdtemp(join(tmpdir(), 'paylinks-mail-'));
  let count = 0;
  const capture = await startSmtpCapture({
    onMail: ({ to, parsed }) => {
      count += 1;
      const mail: CapturedMail = {
        to,
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        html: typeof parsed.html === 'string' ? parsed.html : '',
      };
      writeFileSync(join(dir, `${String(count).padStart(6, '0')}.json`), JSON.stringify(mail));
    },
  });
  return {
    smtpUrl: capture.url,
    dir,
    stop: async () => {
      await capture.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The first mail to `address` the capture has, waiting for the server's mail job to send it. */
export async function waitForMail(dir: string, address: string, timeoutMs = 12_000): Promise<CapturedMail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const name of (await readdir(dir)).sort()) {
      const mail = JSON.parse(await readFile(join(dir, name), 'utf8')) as CapturedMail;
      if (mail.to.includes(address)) return mail;
    }
    if (Date.now() > until) throw new Error(`No mail to ${address} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
