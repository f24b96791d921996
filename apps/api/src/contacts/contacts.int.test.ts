import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme Training');
  stranger = await app.signUp('Other Co');
});
afterAll(() => app.close());

async function createContact(member: TestMember, body: Record<string, unknown>) {
  const response = await app.call(member, 'POST', '/api/contacts', body);
  expect(response.status).toBe(201);
  const contact: any = await response.json();
  return contact;
}

describe('contacts CRUD', () => {
  it('creates a contact with a normalised email and an E.164 phone, then reads it back', async () => {
    const response = await app.call(owner, 'POST', '/api/contacts', {
      name: '  Ada Lovelace ',
      email: ' Ada@Example.COM ',
      phone: '06 12345678',
      defaultCountry: 'NL',
    });
    expect(response.status).toBe(201);
    const created: any = await response.json();
    expect(created).toEqual({
      id: expect.any(String),
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      phone: '+31612345678',
      createdAt: '2026-11-26T12:00:00.000Z',
      updatedAt: '2026-11-26T12:00:00.000Z',
      language: null,
      metadata: {},
      externalId: null,
    });
    expect(response.headers.get('location')).toBe(`/api/contacts/${created.id}`);

    const read = await app.call(owner, 'GET', `/api/contacts/${created.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(created);
  });

  it('creates a contact with only a name', async () => {
    const contact = await createContact(owner, { name: 'Charles Babbage' });
    expect(contact).toMatchObject({ name: 'Charles Babbage', email: null, phone: null });
  });

  it('allows two contacts with the same email in one workspace', async () => {
    await createContact(owner, { name: 'Front desk', email: 'office@example.org' });
    const second = await app.call(owner, 'POST', '/api/contacts', {
      name: 'Boss',
      email: 'OFFICE@example.org',
    });
    expect(second.status).toBe(201);
  });

  it('patches only the fields sent, moves updatedAt, and clears with null', async () => {
    const contact = await createContact(owner, {
      name: 'Grace',
      email: 'grace@example.com',
      phone: '+14155552671',
    });
    app.clock.set(new Date('2026-11-27T09:30:00Z'));
    try {
      const renamed = await app.call(owner, 'PATCH', `/api/contacts/${contact.id}`, { name: 'Grace Hopper' });
      expect(renamed.status).toBe(200);
      expect(await renamed.json()).toEqual({
        ...contact,
        name: 'Grace Hopper',
        updatedAt: '2026-11-27T09:30:00.000Z',
      });

      const cleared = await app.call(owner, 'PATCH', `/api/contacts/${contact.id}`, {
        email: null,
        phone: '020 123 4567',
        defaultCountry: 'NL',
      });
      expect(await cleared.json()).toMatchObject({
        name: 'Grace Hopper',
        email: null,
        phone: '+31201234567',
      });

      const dropPhone = await app.call(owner, 'PATCH', `/api/contacts/${contact.id}`, { phone: null });
      expect(await dropPhone.json()).toMatchObject({ phone: null });
    } finally {
      app.clock.set(new Date('2026-11-26T12:00:00Z'));
    }
  });

  it('answers an empty patch with the contact unchanged', async () => {
    const contact = await createContact(owner, { name: 'Unchanged' });
    app.clock.set(new Date('2026-11-28T00:00:00Z'));
    try {
      const response = await app.call(owner, 'PATCH', `/api/contacts/${contact.id}`, {});
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(contact);
    } finally {
      app.clock.set(new Date('2026-11-26T12:00:00Z'));
    }
  });

  it('deletes a contact nothing refers to; it is gone afterwards', async () => {
    const contact = await createContact(owner, { name: 'Temporary' });
    const response = await app.call(owner, 'DELETE', `/api/contacts/${contact.id}`);
    expect(response.status).toBe(204);
    expect((await app.call(owner, 'GET', `/api/contacts/${contact.id}`)).status).toBe(404);
    expect((await app.call(owner, 'DELETE', `/api/contacts/${contact.id}`)).status).toBe(404);
  });

  it('requires a signed-in member', async () => {
    expect((await app.call(null, 'GET', '/api/contacts')).status).toBe(401);
    expect((await app.call(null, 'POST', '/api/contacts', { name: 'x' })).status).toBe(401);
  });
});

describe('contact refusals', () => {
  it.each([
    [{ email: 'a@example.com' }, 'name', 'required'],
    [{ name: '   ' }, 'name', 'too_small'],
    [{ name: 'x'.repeat(201) }, 'name', 'too_big'],
    [{ name: 42 }, 'name', 'invalid_type'],
    // PostgreSQL text cannot hold NUL; it must be refused, not crash the insert.
    [{ name: 'Ada\u0000' }, 'name', 'control_character'],
    [{ name: 'A', email: 'not-an-email' }, 'email', 'invalid_email'],
    [{ name: 'A', email: `${'a'.repeat(250)}@example.com` }, 'email', 'too_big'],
    [{ name: 'A', email: ['a@example.com'] }, 'email', 'invalid_type'],
    [{ name: 'A', phone: 612345678 }, 'phone', 'invalid_type'],
    [{ name: 'A', phone: '1'.repeat(5000) }, 'phone', 'too_big'],
    [{ name: 'A', phone: '+31', defaultCountry: 'Netherlands' }, 'defaultCountry', 'invalid_regex'],
  ])('refuses %o naming %s', async (body, field, code) => {
    const response = await app.call(owner, 'POST', '/api/contacts', body);
    expect(response.status).toBe(422);
    const problem: any = await response.json();
    expect(problem).toMatchObject({ code: 'validation_failed', field });
    expect(problem.errors[0]).toMatchObject({ field, code });
  });

  it('refuses unknown fields', async () => {
    const response = await app.call(owner, 'POST', '/api/contacts', { name: 'A', company: 'Acme' });
    expect(response.status).toBe(422);
    const problem: any = await response.json();
    expect(problem.errors[0]).toMatchObject({ code: 'unknown_field' });
  });

  it.each([
    [{ name: 'A', phone: '06 12345678' }, 'phone', 'invalid_phone'],
    [{ name: 'A', phone: '+31 6 1234' }, 'phone', 'invalid_phone'],
    [{ name: 'A', phone: 'call me maybe' }, 'phone', 'invalid_phone'],
    [{ name: 'A', phone: '06 12345678', defaultCountry: 'XX' }, 'defaultCountry', 'unsupported_country'],
  ])('refuses the phone in %o with %s/%s and creates nothing', async (body, field, code) => {
    const before: any = await (await app.call(owner, 'GET', '/api/contacts?limit=100')).json();
    const response = await app.call(owner, 'POST', '/api/contacts', body);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ code, field });
    const after: any = await (await app.call(owner, 'GET', '/api/contacts?limit=100')).json();
    expect(after.items).toHaveLength(before.items.length);
  });

  it('refuses a bad patch and keeps the contact as it was', async () => {
    const contact = await createContact(owner, { name: 'Steady', phone: '+14155552671' });
    for (const body of [
      { name: null },
      { name: '' },
      { email: 'nope' },
      { phone: '12345' },
      { id: contact.id },
    ]) {
      const response = await app.call(owner, 'PATCH', `/api/contacts/${contact.id}`, body);
      expect(response.status).toBe(422);
    }
    expect(await (await app.call(owner, 'GET', `/api/contacts/${contact.id}`)).json()).toEqual(contact);
  });

  it('refuses a body that is not JSON without a 500', async () => {
    const response = await app.call(owner, 'POST', '/api/contacts', '{"name": ');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it.each([
    ['GET', undefined],
    ['PATCH', { name: 'x' }],
    ['DELETE', undefined],
  ])('%s with an id of the wrong shape answers 422 on id', async (method, body) => {
    for (const id of ['42', 'not-a-uuid', `${'a'.repeat(300)}`]) {
      const response = await app.call(owner, method, `/api/contacts/${id}`, body);
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ field: 'id' });
    }
  });

  it.each([
    ['GET', undefined],
    ['PATCH', { name: 'x' }],
    ['DELETE', undefined],
  ])('%s of an unknown id answers 404', async (method, body) => {
    const response = await app.call(
      owner,
      method,
      '/api/contacts/00000000-0000-4000-8000-000000000000',
      body,
    );
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'not_found', field: 'id' });
  });
});

describe('workspace isolation', () => {
  it("answers 404 for another workspace's contact on GET, PATCH and DELETE, and leaves it alone", async () => {
    const theirs = await createContact(stranger, {
      name: 'Their Secret Client',
      email: 'secret@other.example',
    });
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'Hijacked' }],
      ['DELETE', undefined],
    ] as const) {
      const response = await app.call(owner, method, `/api/contacts/${theirs.id}`, body);
      expect(response.status).toBe(404);
      const text = await response.text();
      expect(text).not.toContain('Secret');
    }
    const listed: any = await (await app.call(owner, 'GET', '/api/contacts?q=secret')).json();
    expect(listed.items).toEqual([]);
    const own: any = await (await app.call(owner, 'GET', '/api/contacts?limit=100')).json();
    expect(own.items.map((c: any) => c.id)).not.toContain(theirs.id);
    expect(await (await app.call(stranger, 'GET', `/api/contacts/${theirs.id}`)).json()).toEqual(theirs);
  });
});
