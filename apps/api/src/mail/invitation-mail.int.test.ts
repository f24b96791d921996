import type { AddressInfo } from 'node:net';
import { openTestDatabase, type TestDatabase } from '@paylinks/db/testing';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invitationToken, type TestApp, type TestMember, testApp } from '../testing/test-app.js';

// A local SMTP server that keeps what it is given: the mail an invitee would find in their inbox.
interface Captured {
  from: string;
  to: string[];
  raw: string;
}
const inbox: Captured[] = [];
const refusedRecipients = new Set(['bounces@example.com']);
const smtp = new SMTPServer({
  authOptional: false,
  allowInsecureAuth: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onAuth(auth, _session, callback) {
    if (auth.username === 'paylinks' && auth.password === 'mail pass') callback(null, { user: 'paylinks' });
    else callback(new Error('Invalid username or password'));
  },
  onRcptTo(address, _session, callback) {
    if (refusedRecipients.has(address.address)) {
      callback(Object.assign(new Error(`Mailbox ${address.address} unavailable`), { responseCode: 550 }));
    } else callback();
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      inbox.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((r) => r.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      });
      callback();
    });
  },
});

// Quoted-printable, as nodemailer writes ASCII text parts, back into plain text.
const decoded = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

let database: TestDatabase;
let app: TestApp;
let owner: TestMember;
beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as AddressInfo;
  database = await openTestDatabase();
  app = testApp(database, {
    config: {
      smtpUrl: `smtp://paylinks:mail%20pass@127.0.0.1:${port}`,
      mailFrom: 'Acme <team@acme.example>',
    },
  });
  owner = await app.signUp('Acme Courses');
});
afterAll(async () => {
  await app.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('invitation mail', () => {
  it('mails the link, who invited them, the workspace and the expiry, in text and HTML', async () => {
    const response = await app.call(owner, 'POST', '/api/invitations', {
      email: 'Kim@Example.com',
      role: 'member',
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { url: string; mailed: boolean; expiresAt: string };
    expect(body.mailed).toBe(true);

    const mail = inbox.find((m) => m.to.includes('kim@example.com'));
    expect(mail).toBeDefined();
    expect(mail!.from).toBe('team@acme.example');
    const text = decoded(mail!.raw);
    expect(text).toContain('Content-Type: text/plain');
    expect(text).toContain('Content-Type: text/html');
    expect(text).toContain(body.url);
    expect(text).toContain(`<a href="${body.url}">`);
    expect(text).toContain('Ada Owner invited you to join');
    expect(text).toContain('Acme Courses');
    expect(text).toContain(`expires on ${body.expiresAt.slice(0, 16).replace('T', ' ')} UTC`);
    // The mailed link is the one that works.
    const view = await app.call(null, 'GET', `/api/invitations/accept/${invitationToken(body.url)}`);
    expect(view.status).toBe(200);
  });

  it('keeps the invitation when the mail server refuses, and logs neither the address nor the link', async () => {
    const before = app.logger.lines.length;
    const response = await app.call(owner, 'POST', '/api/invitations', {
      email: 'bounces@example.com',
      role: 'member',
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; url: string; mailed: boolean };
    expect(body.mailed).toBe(false);
    expect(await (await app.call(owner, 'GET', '/api/invitations')).text()).toContain(body.id);

    const logged = app.logger.lines.slice(before);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'invitation mail not sent',
        fields: expect.objectContaining({ invitationId: body.id, smtpResponseCode: 550 }),
      }),
    );
    const text = JSON.stringify(logged);
    expect(text).not.toContain('bounces@example.com');
    expect(text).not.toContain(invitationToken(body.url));
  });

  it('with the mail server down, still invites and says mailed: false', async () => {
    const down = testApp(database, { config: { smtpUrl: 'smtp://127.0.0.1:1' } });
    const response = await down.call(owner, 'POST', '/api/invitations', {
      email: 'later@example.com',
      role: 'member',
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ mailed: false });
    expect(down.logger.lines).toContainEqual(
      expect.objectContaining({
        message: 'invitation mail not sent',
        fields: expect.objectContaining({ errorCode: 'ESOCKET' }),
      }),
    );
  });

  it('without SMTP_URL, sends nothing and logs no error', async () => {
    const quiet = testApp(database);
    const count = inbox.length;
    const response = await quiet.call(owner, 'POST', '/api/invitations', {
      email: 'quiet@example.com',
      role: 'member',
    });
    expect(await response.json()).toMatchObject({ mailed: false });
    expect(inbox.length).toBe(count);
    expect(quiet.logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });
});
