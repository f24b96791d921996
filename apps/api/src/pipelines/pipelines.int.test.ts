import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContact, pipelinesOf } from '../deals/deal-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
  stranger = await app.signUp('Other Co');
});
afterAll(() => app.close());

/** The test clock stands still; moving it keeps "oldest first" meaningful. */
function tick() {
  app.clock.set(new Date(app.clock.now().getTime() + 1000));
}

async function createPipeline(name: string, stages = ['Lead', 'Won']) {
  tick();
  const response = await app.call(owner, 'POST', '/api/pipelines', { name, stages });
  expect(response.status).toBe(201);
  return (await response.json()) as any;
}

describe('listing and reading pipelines', () => {
  it('shows the sign-up pipeline with its stages in order, as the default', async () => {
    const [sales] = await pipelinesOf(app, owner);
    expect(sales).toMatchObject({ name: 'Sales', isDefault: true });
    expect(sales.stages.map((s: any) => [s.name, s.position])).toEqual([
      ['New', 0],
      ['Invoice sent', 1],
      ['Won', 2],
      ['Lost', 3],
    ]);
    const one = await app.call(owner, 'GET', `/api/pipelines/${sales.id}`);
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual(sales);
  });

  it("answers 404 for another workspace's pipeline and 422 for an id of the wrong shape", async () => {
    const [theirs] = await pipelinesOf(app, stranger);
    const response = await app.call(owner, 'GET', `/api/pipelines/${theirs.id}`);
    expect(response.status).toBe(404);
    const body: any = await response.json();
    expect(body).toMatchObject({ code: 'not_found', field: 'id' });
    expect(JSON.stringify(body)).not.toContain('Invoice sent');
    const bad = await app.call(owner, 'GET', '/api/pipelines/not-a-uuid');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ code: 'validation_failed', field: 'id' });
  });

  it('refuses anonymous callers', async () => {
    expect((await app.call(null, 'GET', '/api/pipelines')).status).toBe(401);
  });
});

describe('creating a pipeline', () => {
  it('creates it with its stages, not as the default, and lists it after the first', async () => {
    const created = await createPipeline('  Renewals  ', ['Due', 'Invoiced', 'Paid']);
    expect(created).toMatchObject({ name: 'Renewals', isDefault: false });
    expect(created.stages.map((s: any) => s.name)).toEqual(['Due', 'Invoiced', 'Paid']);
    const names = (await pipelinesOf(app, owner)).map((p) => p.name);
    expect(names.indexOf('Renewals')).toBeGreaterThan(names.indexOf('Sales'));
    expect((await pipelinesOf(app, stranger)).map((p) => p.name)).toEqual(['Sales']);
  });

  it.each([
    ['a missing name', { stages: ['A'] }, 'name', 'required'],
    ['a blank name', { name: '   ', stages: ['A'] }, 'name', 'too_small'],
    ['a huge name', { name: 'x'.repeat(10_000), stages: ['A'] }, 'name', 'too_big'],
    ['a name of the wrong type', { name: 42, stages: ['A'] }, 'name', 'invalid_type'],
    ['no stages', { name: 'P', stages: [] }, 'stages', 'too_small'],
    ['missing stages', { name: 'P' }, 'stages', 'required'],
    [
      'too many stages',
      { name: 'P', stages: Array.from({ length: 31 }, (_, i) => `S${i}`) },
      'stages',
      'too_big',
    ],
    ['a blank stage name', { name: 'P', stages: ['A', ''] }, 'stages.1', 'too_small'],
    ['an unknown field', { name: 'P', stages: ['A'], isDefault: true }, undefined, 'unknown_field'],
  ])('refuses %s with 422', async (_, body, field, code) => {
    const before = (await pipelinesOf(app, owner)).length;
    const response = await app.call(owner, 'POST', '/api/pipelines', body);
    expect(response.status).toBe(422);
    const problem: any = await response.json();
    expect(problem.errors).toEqual(
      expect.arrayContaining([expect.objectContaining(field ? { code, field } : { code })]),
    );
    expect((await pipelinesOf(app, owner)).length).toBe(before);
  });

  it('refuses unparsable JSON with 400', async () => {
    const response = await app.call(owner, 'POST', '/api/pipelines', '{"name":');
    expect(response.status).toBe(400);
  });
});

describe('renaming, deleting and the default', () => {
  it('renames, and answers 404 for the same request on another workspace', async () => {
    const created = await createPipeline('Old name');
    const renamed = await app.call(owner, 'PATCH', `/api/pipelines/${created.id}`, { name: 'New name' });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ id: created.id, name: 'New name', stages: created.stages });
    const foreign = await app.call(stranger, 'PATCH', `/api/pipelines/${created.id}`, { name: 'Hijacked' });
    expect(foreign.status).toBe(404);
    const again: any = await (await app.call(owner, 'GET', `/api/pipelines/${created.id}`)).json();
    expect(again.name).toBe('New name');
    const empty = await app.call(owner, 'PATCH', `/api/pipelines/${created.id}`, { name: '' });
    expect(empty.status).toBe(422);
  });

  it('makes another pipeline the default, leaving exactly one default', async () => {
    const [sales] = await pipelinesOf(app, owner);
    const other = await createPipeline('Next default');
    const response = await app.call(owner, 'POST', `/api/pipelines/${other.id}/default`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: other.id, isDefault: true });
    const defaults = (await pipelinesOf(app, owner)).filter((p) => p.isDefault);
    expect(defaults.map((p) => p.id)).toEqual([other.id]);
    // Setting it again changes nothing; switching back works.
    expect((await app.call(owner, 'POST', `/api/pipelines/${other.id}/default`)).status).toBe(200);
    expect((await app.call(owner, 'POST', `/api/pipelines/${sales.id}/default`)).status).toBe(200);
    expect((await pipelinesOf(app, owner)).filter((p) => p.isDefault).map((p) => p.id)).toEqual([sales.id]);
    expect((await app.call(stranger, 'POST', `/api/pipelines/${other.id}/default`)).status).toBe(404);
    expect((await pipelinesOf(app, stranger)).filter((p) => p.isDefault)).toHaveLength(1);
  });

  it('deletes a pipeline without deals, with its stages', async () => {
    const created = await createPipeline('Short-lived');
    expect((await app.call(stranger, 'DELETE', `/api/pipelines/${created.id}`)).status).toBe(404);
    expect((await app.call(owner, 'DELETE', `/api/pipelines/${created.id}`)).status).toBe(204);
    expect((await app.call(owner, 'GET', `/api/pipelines/${created.id}`)).status).toBe(404);
    expect((await app.call(owner, 'DELETE', `/api/pipelines/${created.id}`)).status).toBe(404);
  });

  it('refuses to delete the default pipeline', async () => {
    const sales = (await pipelinesOf(app, owner)).find((p) => p.isDefault);
    const response = await app.call(owner, 'DELETE', `/api/pipelines/${sales.id}`);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'default_pipeline', field: 'id' });
  });

  it('refuses to delete a pipeline that holds a deal', async () => {
    const created = await createPipeline('Busy');
    const contactId = await insertContact(app, owner);
    const deal = await app.call(owner, 'POST', '/api/deals', {
      title: 'Deal',
      contactId,
      pipelineId: created.id,
    });
    expect(deal.status).toBe(201);
    const response = await app.call(owner, 'DELETE', `/api/pipelines/${created.id}`);
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'pipeline_has_deals' });
    expect((await app.call(owner, 'GET', `/api/pipelines/${created.id}`)).status).toBe(200);
  });
});

describe('roles', () => {
  it('lets a plain member read pipelines but not change their structure', async () => {
    const member = await app.addMember(owner, 'member', 'mia@example.com');
    const sales = (await pipelinesOf(app, member)).find((p) => p.name === 'Sales');
    expect(sales.stages).toHaveLength(4);
    const refused = await app.call(member, 'POST', '/api/pipelines', { name: 'Mine', stages: ['A'] });
    expect(refused.status).toBe(403);
    expect((await app.call(member, 'PATCH', `/api/pipelines/${sales.id}`, { name: 'X' })).status).toBe(403);
    const contactId = await insertContact(app, owner);
    expect((await app.call(member, 'POST', '/api/deals', { title: 'Member deal', contactId })).status).toBe(
      201,
    );
  });
});

describe('OpenAPI description', () => {
  it('documents the pipeline, stage, board, automation and deal routes', async () => {
    const document: any = await (await app.request('/api/openapi.json')).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/pipelines',
        '/api/pipelines/{id}',
        '/api/pipelines/{id}/default',
        '/api/pipelines/{id}/stages',
        '/api/pipelines/{id}/stages/order',
        '/api/pipelines/{id}/stages/{stageId}',
        '/api/pipelines/{id}/board',
        '/api/pipelines/{id}/automations',
        '/api/deals',
        '/api/deals/{id}',
        '/api/deals/{id}/move',
      ]),
    );
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['Pipeline', 'Stage', 'Board', 'Deal', 'StageAutomations']),
    );
  });
});
