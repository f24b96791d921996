import { linkMailEvents, linkMails, paymentLinks } from '@paylinks/db';
import { openTestDatabase, type TestDatabase } from '@paylinks/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../mail/mailer.js';
import { insertContact, sandboxMethod } from '../payment-links/payment-link-fixtures.js';
import { type TestApp, type TestMember, testApp, testPublicUrl } from '../testing/test-app.js';
import { runLinkMailJob } from './link-mail-job.js';
import { type SmtpCapture, startSmtpCapture } from './smtp-capture-fixture.js';

let database: TestDatabase;
let smtp: SmtpCapture;
let app: TestApp;
let owner: TestMember;
let methodId: string;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  database = await openTestDatabase();
  app = testApp(database, { config: { smtpUrl: smtp.url, mailFrom: 'Acme <team@acme.example>' } });
  owner = await app.signUp('Acme Courses');
  methodId = (await sandboxMethod(database.db, owner.workspaceId)).id;
});
afterAll(async () => {
  await app.close();
  await smtp.close();
});

/** One pass of the mail job, as a serving process runs it every few seconds. */
const runJob = (on: TestApp = app) =>
  runLinkMailJob({
    db: on.database.db,
    clock: on.clock,
    logger: on.logger,
    publicUrl: testPublicUrl,
    mailer: createSmtpMailer(smtp.url, 'Acme <team@acme.example>'),
  });

let contactCounter = 0;
async function contactLink(
  options: {
    language?: string;
    email?: string | null;
    amount?: string;
    validityDays?: number | null;
    remind?: number | null;
  } = {},
) {
  contactCounter += 1;
  const email = options.email === undefined ? `payer-${contactCounter}@example.com` : options.email;
  const contact = await insertContact(database.db, owner.workspaceId, { name: 'Grace Payer', email });
  if (options.language) {
    const patched = await app.call(owner, 'PATCH', `/api/contacts/${contact.id}`, {
      language: options.language,
    });
    expect(await patched.json()).toMatchObject({ language: options.language });
  }
  const response = await app.call(owner, 'POST', '/api/payment-links', {
    origin: 'contact',
    contactId: contact.id,
    description: 'Piano <lessons> & more',
    amount: options.amount ?? '1234.50',
    currency: 'EUR',
    methodId,
    validityDays: options.validityDays === undefined ? 7 : options.validityDays,
    ...(options.remind === undefined ? {} : { remindDaysBefore: options.remind }),
  });
  expect(response.status).toBe(201);
  const link = (await response.json()) as { id: string; url: string; expiresAt: string | null };
  return { contact, email, link };
}

const send = (linkId: string, body: Record<string, unknown> = {}, on: TestApp = app) =>
  on.call(owner, 'POST', `/api/payment-links/${linkId}/mails`, body);

const history = async (linkId: string) => {
  const response = await app.call(owner, 'GET', `/api/payment-links/${linkId}/mails`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: any[] }).items;
};

describe('sending a link by email', () => {
  const amounts = {
    en: { amount: '€1,234.50', days: 'Valid for 7 more days', button: 'Pay €1,234.50' },
    de: { amount: '1.234,50\u00a0€', days: 'Noch 7 Tage gültig', button: '1.234,50\u00a0€ bezahlen' },
    fr: { amount: '1\u202f234,50\u00a0€', days: '7', button: '1\u202f234,50\u00a0€' },
    es: { amount: '1234,50\u00a0€', days: '7', button: '1234,50\u00a0€' },
    nl: { amount: '€\u00a01.234,50', days: '7', button: '€\u00a01.234,50' },
  } as const;

  it("mails each language the amount as it writes it, the days left and the link's button", async () => {
    for (const [language, expected] of Object.entries(amounts)) {
      const { email, link } = await contactLink({ language });
      const queued = await send(link.id);
      expect(queued.status).toBe(202);
      expect(await queued.json()).toMatchObject({ status: 'queued', recipient: email, language });
      expect(smtp.mailsTo(email!)).toHaveLength(0); // queued, not sent inside the request
      await runJob();
      const [mail] = smtp.mailsTo(email!);
      expect(mail, language).toBeDefined();
      const { text, html, subject } = mail!.parsed;
      expect(subject).toContain('Acme Courses');
      expect(text).toContain(expected.amount);
      expect(text).toContain(expected.days);
      expect(text).toContain(link.url);
      expect(html).toContain(`<a href="${link.url}"`);
      expect(html).toContain(expected.button);
      // The description is the team's text: escaped in HTML, as typed in plain text.
      expect(text).toContain('Piano <lessons> & more');
      expect(html).toContain('Piano &#60;lessons&#62; &#38; more');
      expect(html).not.toContain('<lessons>');
    }
    expect(smtp.inbox.at(-1)!.parsed.text).toContain('Beste Grace Payer');
    const { contact } = await contactLink();
    const unknown = await app.call(owner, 'PATCH', `/api/contacts/${contact.id}`, { language: 'pt' });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ field: 'language' });
  });

  it('escapes the personal message in HTML and keeps it as typed in the text part', async () => {
    const { email, link } = await contactLink();
    const message = 'See you <b>Tuesday</b> & bring "shoes"\n<script>alert(1)</script>';
    expect((await send(link.id, { message })).status).toBe(202);
    await runJob();
    const [mail] = smtp.mailsTo(email!);
    expect(mail!.parsed.text).toContain('See you <b>Tuesday</b> & bring "shoes"\n<script>alert(1)</script>');
    expect(mail!.parsed.html).toContain(
      'See you &#60;b&#62;Tuesday&#60;/b&#62; &#38; bring &#34;shoes&#34;<br>&#60;script&#62;',
    );
    expect(mail!.parsed.html).not.toContain('<script>');
  });

  it('sends only to an address stored for the contact or typed in the form', async () => {
    const { email, link } = await contactLink();
    expect((await send(link.id, { to: ' Other@Example.com ' })).status).toBe(202);
    await runJob();
    expect(smtp.mailsTo('other@example.com')).toHaveLength(1);
    expect(smtp.mailsTo(email!)).toHaveLength(0);

    const nobody = await contactLink({ email: null });
    const refused = await send(nobody.link.id);
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ code: 'no_recipient', field: 'to' });
    const invalid = await send(link.id, { to: 'not an address' });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ field: 'to' });
    expect(await history(nobody.link.id)).toEqual([]);
  });

  it('retries a deferral (4xx) with backoff and shows each answer; a refusal (5xx) fails at once', async () => {
    const { link } = await contactLink({ email: 'busy@example.com' });
    smtp.answer('busy@example.com', [451, 451]);
    await send(link.id);
    await runJob();
    let [mail] = await history(link.id);
    expect(mail).toMatchObject({
      status: 'queued',
      attempts: 1,
      lastSmtpAnswer: expect.stringContaining('451'),
    });
    expect(await runJob()).toBe(0); // not due again for a minute
    const start = app.clock.now().getTime();
    app.clock.set(new Date(start + 60_000));
    await runJob();
    app.clock.set(new Date(start + 60_000 + 5 * 60_000));
    await runJob();
    [mail] = await history(link.id);
    expect(mail.status).toBe('sent');
    expect(mail.events.map((e: any) => e.event)).toEqual(['queued', 'retrying', 'retrying', 'sent']);
    expect(mail.events[1].smtpAnswer).toMatch(/^451 /);
    expect(smtp.mailsTo('busy@example.com')).toHaveLength(1);
    app.clock.set(new Date(start));

    const bounce = await contactLink({ email: 'gone@example.com' });
    smtp.answer('gone@example.com', [550]);
    await send(bounce.link.id);
    await runJob();
    const [failed] = await history(bounce.link.id);
    expect(failed).toMatchObject({ status: 'failed', lastSmtpAnswer: expect.stringMatching(/^550 /) });
    expect(failed.events.map((e: any) => e.event)).toEqual(['queued', 'failed']);
  });

  it('keeps the link token out of logs and history rows', async () => {
    const { link } = await contactLink({ email: 'gone2@example.com' });
    smtp.answer('gone2@example.com', [550]);
    await send(link.id, { message: 'hi' });
    await runJob();
    const token = link.url.slice(link.url.lastIndexOf('/') + 1);
    const rows = [
      ...(await database.db.select().from(linkMails).where(eq(linkMails.linkId, link.id))),
      ...(await database.db.select().from(linkMailEvents).where(eq(linkMailEvents.linkId, link.id))),
    ];
    expect(rows.length).toBeGreaterThan(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    const logged = JSON.stringify(app.logger.lines);
    expect(logged).toContain('link mail not sent');
    expect(logged).not.toContain(token);
    expect(logged).not.toContain('gone2@example.com');
  });

  it('without SMTP_URL refuses with how to configure it, and stores nothing', async () => {
    const quiet = testApp(database);
    const { link } = await contactLink();
    const response = await send(link.id, {}, quiet);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { code: string; detail: string };
    expect(body.code).toBe('smtp_not_configured');
    expect(body.detail).toContain('SMTP_URL');
    expect(await history(link.id)).toEqual([]);
    const settings = await quiet.call(owner, 'GET', '/api/mail-settings');
    expect(await settings.json()).toMatchObject({ smtpConfigured: false });
  });

  it("limits a workspace's mails per hour, with Retry-After", async () => {
    const limited = testApp(database, { config: { smtpUrl: smtp.url, linkMailsPerHour: 2 } });
    // A clock hour of its own, so the other tests' mails do not count here.
    limited.clock.set(new Date('2026-11-27T09:30:00Z'));
    const { link } = await contactLink();
    expect((await send(link.id, {}, limited)).status).toBe(202);
    expect((await send(link.id, {}, limited)).status).toBe(202);
    const refused = await send(link.id, {}, limited);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1800');
    expect(await refused.json()).toMatchObject({ code: 'rate_limited' });
    expect(await history(link.id)).toHaveLength(2);
  });

  it('refuses a deleted link with 410', async () => {
    const { link } = await contactLink();
    expect((await app.call(owner, 'DELETE', `/api/payment-links/${link.id}`)).status).toBe(200);
    const response = await send(link.id);
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({ code: 'link_deleted' });
  });
});

describe('reminders before expiry', () => {
  const reminderAt = (link: { expiresAt: string | null }, days: number) =>
    new Date(new Date(link.expiresAt!).getTime() - days * 86_400_000);

  it('sends one reminder when it is due, to where the link was mailed, and never again', async () => {
    const start = app.clock.now();
    const { link } = await contactLink({ remind: 2 });
    await send(link.id, { to: 'typed@example.com' });
    await runJob();
    let reminder = (await history(link.id)).find((m: any) => m.kind === 'reminder');
    expect(reminder).toMatchObject({ status: 'scheduled', remindDaysBefore: 2 });
    expect(reminder.nextAttemptAt).toBe(reminderAt(link, 2).toISOString());

    app.clock.set(new Date(reminderAt(link, 2).getTime() - 1000));
    await runJob();
    expect(smtp.mailsTo('typed@example.com')).toHaveLength(1);
    app.clock.set(reminderAt(link, 2));
    await runJob();
    app.clock.set(new Date(reminderAt(link, 2).getTime() + 3_600_000));
    await runJob();
    const mails = smtp.mailsTo('typed@example.com');
    expect(mails).toHaveLength(2);
    expect(mails[1]!.parsed.subject).toContain('Reminder');
    expect(mails[1]!.parsed.text).toContain('Valid for 2 more days');
    reminder = (await history(link.id)).find((m: any) => m.kind === 'reminder');
    expect(reminder).toMatchObject({ status: 'sent', recipient: 'typed@example.com' });
    app.clock.set(start);
  });

  it('is cancelled when the link is paid or deleted, and nothing is sent', async () => {
    const start = app.clock.now();
    const paid = await contactLink({ remind: 1 });
    const deleted = await contactLink({ remind: 1 });
    const confirm = await app.call(owner, 'POST', '/api/payments/confirm-link', { linkId: paid.link.id });
    expect(confirm.status).toBe(201);
    expect((await app.call(owner, 'DELETE', `/api/payment-links/${deleted.link.id}`)).status).toBe(200);
    app.clock.set(reminderAt(paid.link, 1));
    await runJob();
    for (const [{ link, email }, reason] of [
      [paid, 'link_paid'],
      [deleted, 'link_deleted'],
    ] as const) {
      const [reminder] = await history(link.id);
      expect(reminder).toMatchObject({ kind: 'reminder', status: 'cancelled' });
      expect(reminder.events.map((e: any) => [e.event, e.detail])).toEqual([
        ['scheduled', null],
        ['cancelled', reason],
      ]);
      expect(smtp.mailsTo(email!)).toHaveLength(0);
    }
    app.clock.set(start);
  });

  it("moves with the link's edited validity", async () => {
    const { link } = await contactLink({ remind: 2 });
    const edited = await app.call(owner, 'PATCH', `/api/payment-links/${link.id}`, { validityDays: 10 });
    const { expiresAt } = (await edited.json()) as { expiresAt: string };
    await runJob();
    const [reminder] = await history(link.id);
    expect(reminder).toMatchObject({ status: 'scheduled' });
    expect(reminder.nextAttemptAt).toBe(reminderAt({ expiresAt }, 2).toISOString());
  });

  it('takes the workspace default for new links; a link may turn it off', async () => {
    const set = await app.call(owner, 'PATCH', '/api/mail-settings', { defaultReminderDays: 3 });
    expect(await set.json()).toMatchObject({ defaultReminderDays: 3, smtpConfigured: true });
    const byDefault = await contactLink();
    const off = await contactLink({ remind: null });
    const unlimited = await contactLink({ validityDays: null });
    await app.call(owner, 'PATCH', '/api/mail-settings', { defaultReminderDays: null });
    expect(await history(byDefault.link.id)).toMatchObject([{ kind: 'reminder', remindDaysBefore: 3 }]);
    expect(await history(off.link.id)).toEqual([]);
    expect(await history(unlimited.link.id)).toEqual([]);
    const refused = await app.call(owner, 'POST', '/api/payment-links', {
      origin: 'contact',
      contactId: byDefault.contact.id,
      description: 'x',
      amount: '1.00',
      currency: 'EUR',
      methodId,
      validityDays: 2,
      remindDaysBefore: 2,
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ code: 'reminder_too_late', field: 'remindDaysBefore' });
  });

  it('is cancelled when the link expires before the job could send it', async () => {
    const start = app.clock.now();
    const { email, link } = await contactLink({ remind: 2 });
    // No job ran between the reminder's time and the expiry (the server was down, say).
    app.clock.set(new Date(new Date(link.expiresAt!).getTime() + 1000));
    // The link already says it will not go, before the job has looked.
    const read = await app.call(owner, 'GET', `/api/payment-links/${link.id}`);
    expect(((await read.json()) as any).reminder).toEqual({
      daysBefore: 2,
      status: 'cancelled',
      dueAt: null,
    });
    await runJob();
    const [reminder] = await history(link.id);
    expect(reminder.events.map((e: any) => [e.event, e.detail])).toEqual([
      ['scheduled', null],
      ['cancelled', 'link_expired'],
    ]);
    expect(smtp.mailsTo(email!)).toHaveLength(0);
    app.clock.set(start);
  });

  const editLink = async (linkId: string, body: Record<string, unknown>) => {
    const response = await app.call(owner, 'PATCH', `/api/payment-links/${linkId}`, body);
    return { status: response.status, body: (await response.json()) as any };
  };

  it("moves, switches off and schedules again a link's one reminder, each in the link's history", async () => {
    const start = app.clock.now();
    const { contact, email, link } = await contactLink({ remind: 2 });
    const moved = await editLink(link.id, { remindDaysBefore: 3 });
    expect(moved.status).toBe(200);
    expect(moved.body.reminder).toEqual({
      daysBefore: 3,
      status: 'scheduled',
      dueAt: reminderAt(link, 3).toISOString(),
    });
    expect(moved.body.history).toMatchObject([
      {
        field: 'reminder',
        from: { remindDaysBefore: 2 },
        to: { remindDaysBefore: 3 },
        changedBy: owner.userId,
      },
    ]);

    const off = await editLink(link.id, { remindDaysBefore: null });
    expect(off.body.reminder).toBeNull();
    expect(off.body.history[0]).toMatchObject({
      from: { remindDaysBefore: 3 },
      to: { remindDaysBefore: null },
    });
    app.clock.set(reminderAt(link, 2));
    await runJob();
    expect(smtp.mailsTo(email!)).toHaveLength(0);
    app.clock.set(start);

    // On again: the same reminder is scheduled again, never a second one beside it.
    const on = await editLink(link.id, { remindDaysBefore: 1 });
    expect(on.body.reminder).toMatchObject({ daysBefore: 1, status: 'scheduled' });
    const listed = await app.call(owner, 'GET', `/api/payment-links?contactId=${contact.id}`);
    expect(((await listed.json()) as any).items[0].reminder).toMatchObject({ daysBefore: 1 });
    const mails = await history(link.id);
    expect(mails).toHaveLength(1);
    expect(mails[0].events.map((e: any) => [e.event, e.detail])).toEqual([
      ['scheduled', null],
      ['cancelled', 'switched_off'],
      ['scheduled', null],
    ]);
    app.clock.set(reminderAt(link, 1));
    await runJob();
    app.clock.set(new Date(reminderAt(link, 1).getTime() + 3_600_000));
    await runJob();
    const sent = smtp.mailsTo(email!);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.parsed.text).toContain('Valid for 1 more day');
    const after = await editLink(link.id, { remindDaysBefore: 2 });
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ code: 'reminder_already_sent', field: 'remindDaysBefore' });
    app.clock.set(start);

    // A link made without one gets one; unlimited validity takes it away.
    const plain = await contactLink({ remind: null });
    expect((await editLink(plain.link.id, { remindDaysBefore: 4 })).body.reminder).toMatchObject({
      daysBefore: 4,
      dueAt: reminderAt(plain.link, 4).toISOString(),
    });
    const unlimited = await editLink(plain.link.id, { validityDays: null });
    expect(unlimited.body.reminder).toMatchObject({ daysBefore: 4, status: 'cancelled', dueAt: null });
  });

  it('refuses a reminder where it cannot apply, by its field, and changes nothing', async () => {
    const start = app.clock.now();
    const { link } = await contactLink({ remind: 2 });
    const unlimited = await contactLink({ validityDays: null });
    const paid = await contactLink();
    await app.call(owner, 'POST', '/api/payments/confirm-link', { linkId: paid.link.id });
    const cases: [string, Record<string, unknown>, number, string, string][] = [
      [unlimited.link.id, { remindDaysBefore: 2 }, 422, 'reminder_needs_expiry', 'remindDaysBefore'],
      [link.id, { remindDaysBefore: 7 }, 422, 'reminder_too_late', 'remindDaysBefore'],
      [link.id, { remindDaysBefore: 0 }, 422, 'validation_failed', 'remindDaysBefore'],
      [link.id, { remindDaysBefore: 1.5 }, 422, 'validation_failed', 'remindDaysBefore'],
      [link.id, { validityDays: 2 }, 422, 'reminder_too_late', 'validityDays'],
      [link.id, { validityDays: 30, remindDaysBefore: 30 }, 422, 'reminder_too_late', 'remindDaysBefore'],
      [paid.link.id, { remindDaysBefore: 2 }, 422, 'reminder_link_paid', 'remindDaysBefore'],
    ];
    for (const [id, body, status, code, field] of cases) {
      const refused = await editLink(id, body);
      expect([refused.status, refused.body.code, refused.body.field], JSON.stringify(body)).toEqual([
        status,
        code,
        field,
      ]);
    }
    // A run of the mail job holds it (claimed, sending): it is the payer's one reminder, left alone.
    const lease = new Date(app.clock.now().getTime() + 60_000);
    await database.db.update(linkMails).set({ leaseUntil: lease }).where(eq(linkMails.linkId, link.id));
    const held = await editLink(link.id, { remindDaysBefore: 3 });
    expect(held.body).toMatchObject({ code: 'reminder_already_sent', field: 'remindDaysBefore' });
    await database.db.update(linkMails).set({ leaseUntil: null }).where(eq(linkMails.linkId, link.id));
    app.clock.set(new Date(new Date(link.expiresAt!).getTime() - 2.5 * 86_400_000));
    const passed = await editLink(link.id, { remindDaysBefore: 3 });
    expect(passed.body).toMatchObject({ code: 'reminder_passed', field: 'remindDaysBefore' });
    app.clock.set(new Date(new Date(link.expiresAt!).getTime() + 1000));
    expect((await editLink(link.id, { remindDaysBefore: 1 })).body.code).toBe('link_expired');
    app.clock.set(start);
    const { body } = await editLink(link.id, { description: 'Piano <lessons> & more' });
    expect(body.history).toEqual([]);
    expect(body.reminder).toMatchObject({ daysBefore: 2, dueAt: reminderAt(link, 2).toISOString() });
    expect(body.validityDays).toBe(7);
    expect((await history(link.id))[0].events).toHaveLength(1);
  });

  it('two instances on one database send a due reminder once', async () => {
    const start = app.clock.now();
    const { email, link } = await contactLink({ remind: 1 });
    const other = testApp(database, { config: { smtpUrl: smtp.url } });
    app.clock.set(reminderAt(link, 1));
    other.clock.set(reminderAt(link, 1));
    await Promise.all([runJob(app), runJob(other), runJob(app), runJob(other)]);
    expect(smtp.mailsTo(email!)).toHaveLength(1);
    const [reminder] = await history(link.id);
    expect(reminder.events.map((e: any) => e.event)).toEqual(['scheduled', 'sent']);
    app.clock.set(start);
    // The link row itself was never touched by mailing.
    const [row] = await database.db.select().from(paymentLinks).where(eq(paymentLinks.id, link.id));
    expect(row!.deletedAt).toBeNull();
  });
});
