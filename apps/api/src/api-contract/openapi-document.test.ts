import { beforeAll, describe, expect, it } from 'vitest';
import { describeApi } from '../embedded.js';

// What a client generator or a fuzzer reads from the document, item by item (issue 17). That the
// API answers as documented is checked on every response of every API test (testing/contract-check.ts).

type Json = any;
let document: Json;
let operations: { method: string; path: string; operation: Json }[];
beforeAll(async () => {
  document = await describeApi();
  operations = Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(
    ([path, item]) => Object.entries(item).map(([method, operation]) => ({ method, path, operation })),
  );
});

const schemaOf = (ref: Json) => document.components.schemas[String(ref.$ref).split('/').pop() ?? ''];
const responseOf = (response: Json) =>
  response.$ref ? document.components.responses[String(response.$ref).split('/').pop() ?? ''] : response;

describe('the OpenAPI document', () => {
  it('gives every operation a stable, unique operationId', () => {
    const ids = operations.map((o) => o.operation.operationId);
    expect(ids.filter((id) => typeof id !== 'string')).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['listContacts', 'createPaymentLink', 'receiveProviderWebhook']),
    );
  });

  it('names PUBLIC_URL as its server and lists every tag it uses', () => {
    expect(document.servers).toEqual([expect.objectContaining({ url: 'http://localhost:3000' })]);
    const listed = document.tags.map((tag: Json) => tag.name);
    const used = new Set(operations.flatMap((o) => o.operation.tags ?? []));
    expect(listed).toEqual(expect.arrayContaining([...used]));
  });

  it('needs no credentials for the public operations', () => {
    const publicPaths = /^\/api\/(pay\/|signup$|health$|invitations\/accept\/|webhooks\/|auth\/sign-in\/)/;
    const open = operations.filter((o) => publicPaths.test(o.path));
    expect(open.length).toBeGreaterThanOrEqual(10);
    for (const { method, path, operation } of open)
      expect(operation.security, `${method} ${path}`).toEqual([]);
  });

  it('documents 429 with Retry-After and 503 on every operation, and the body refusals wherever a JSON body is taken', () => {
    for (const { method, path, operation } of operations) {
      const where = `${method} ${path}`;
      expect(responseOf(operation.responses['429']).headers, where).toHaveProperty('Retry-After');
      expect(operation.responses, where).toHaveProperty('503');
      if (operation.requestBody?.content?.['application/json']) {
        for (const status of ['400', '413', '415']) {
          const response = responseOf(operation.responses[status]);
          expect(response?.content, `${where} ${status}`).toHaveProperty(['application/problem+json']);
        }
      }
    }
  });

  it('documents Idempotency-Key, never empty, on every POST a team member makes', () => {
    const memberPosts = operations.filter((o) => o.method === 'post' && o.operation.security === undefined);
    expect(memberPosts.length).toBeGreaterThanOrEqual(15);
    for (const { path, operation } of memberPosts) {
      const key = operation.parameters?.find((p: Json) => p.name === 'Idempotency-Key');
      expect(key, path).toMatchObject({ in: 'header', schema: { minLength: 1, maxLength: 255 } });
    }
  });

  it("allows null for a deal's amount and a course's price", () => {
    const amount = document.components.schemas.Deal.properties.amount;
    expect(amount.allOf).toBeUndefined();
    expect(amount.anyOf).toEqual(
      expect.arrayContaining([{ $ref: '#/components/schemas/Money' }, { type: 'null' }]),
    );
  });

  it('constrains money as validation does: ISO currency codes and decimal strings', () => {
    const money = document.components.schemas.Money.properties;
    expect(money.currency.pattern).toBe('^[A-Z]{3}$');
    expect(new RegExp(money.amount.pattern).test('10.50')).toBe(true);
    expect(new RegExp(money.amount.pattern).test('1e3')).toBe(false);
  });

  it('documents POST /api/payment-links as a union on origin: contact → contactId, deal → dealId', () => {
    const body = document.paths['/api/payment-links'].post.requestBody.content['application/json'].schema;
    const union = schemaOf(body);
    expect(union.discriminator?.propertyName).toBe('origin');
    const [contact, deal] = union.oneOf.map(schemaOf);
    expect(contact.properties.origin.const ?? contact.properties.origin.enum?.[0]).toBe('contact');
    expect(contact.required).toContain('contactId');
    expect(contact.properties).not.toHaveProperty('dealId');
    expect(deal.required).toContain('dealId');
    expect(deal.properties).not.toHaveProperty('contactId');
    expect(deal.properties.currency.pattern).toBe('^[A-Za-z]{3}$');
    expect(deal.properties.amount.pattern).toBeDefined();
  });

  it('says so where a PATCH refuses an empty body', () => {
    expect(document.components.schemas.UpdateDeal.minProperties).toBe(1);
    expect(document.components.schemas.UpdatePaymentMethod.minProperties).toBe(1);
  });

  it('documents sign-in and sign-out as they answer: JSON successes, problem+json refusals, the Origin rule', () => {
    const signIn = document.paths['/api/auth/sign-in/email'].post;
    expect(signIn.responses['200'].content).toHaveProperty(['application/json']);
    expect(signIn.responses['403'].content).toHaveProperty(['application/problem+json']);
    expect(signIn.responses['403'].description).toMatch(/foreign/);
    const signOut = document.paths['/api/auth/sign-out'].post;
    expect(signOut.requestBody.required).toBe(false);
    expect(signOut.responses['200'].content).toHaveProperty(['application/json']);
    expect(responseOf(signOut.responses['415']).description).toMatch(/unsupported_media_type/);
  });

  it('documents the provider webhook route', () => {
    const webhook = document.paths['/api/webhooks/{methodId}'].post;
    expect(webhook.operationId).toBe('receiveProviderWebhook');
    expect(Object.keys(webhook.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '503']));
  });
});
