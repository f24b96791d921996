import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContact, pipelinesOf } from '../deals/deal-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
let strangerStageId: string;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
  stranger = await app.signUp('Other Co');
  strangerStageId = (await pipelinesOf(app, stranger))[0].stages[0].id;
});
afterAll(() => app.close());

async function newPipeline(stages: string[]) {
  const response = await app.call(owner, 'POST', '/api/pipelines', { name: 'Stages test', stages });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; stages: { id: string; name: string; position: number }[] };
}

async function stageNames(pipelineId: string) {
  const body: any = await (await app.call(owner, 'GET', `/api/pipelines/${pipelineId}`)).json();
  return body.stages.map((s: any) => `${s.position}:${s.name}`);
}

describe('adding a stage', () => {
  it('appends at the end by default and inserts at a position, renumbering the rest', async () => {
    const pipeline = await newPipeline(['A', 'B']);
    const atEnd = await app.call(owner, 'POST', `/api/pipelines/${pipeline.id}/stages`, { name: 'C' });
    expect(atEnd.status).toBe(201);
    expect(await atEnd.json()).toMatchObject({ name: 'C', position: 2 });
    const first = await app.call(owner, 'POST', `/api/pipelines/${pipeline.id}/stages`, {
      name: 'Z',
      position: 0,
    });
    expect(await first.json()).toMatchObject({ name: 'Z', position: 0 });
    await app.call(owner, 'POST', `/api/pipelines/${pipeline.id}/stages`, { name: 'M', position: 2 });
    expect(await stageNames(pipeline.id)).toEqual(['0:Z', '1:A', '2:M', '3:B', '4:C']);
  });

  it('refuses a position past the end, a bad name, and a full pipeline', async () => {
    const pipeline = await newPipeline(['A']);
    const url = `/api/pipelines/${pipeline.id}/stages`;
    const past = await app.call(owner, 'POST', url, { name: 'X', position: 2 });
    expect(past.status).toBe(422);
    expect(await past.json()).toMatchObject({ code: 'position_out_of_range', field: 'position' });
    for (const body of [
      {},
      { name: 'x'.repeat(5000) },
      { name: 7 },
      { name: 'X', position: -1 },
      { name: 'X', position: 1.5 },
    ]) {
      expect((await app.call(owner, 'POST', url, body)).status, JSON.stringify(body).slice(0, 40)).toBe(422);
    }
    expect(await stageNames(pipeline.id)).toEqual(['0:A']);
    for (let i = 1; i < 30; i++) await app.call(owner, 'POST', url, { name: `S${i}` });
    const full = await app.call(owner, 'POST', url, { name: 'One too many' });
    expect(full.status).toBe(409);
    expect(await full.json()).toMatchObject({ code: 'stage_limit_reached' });
  });

  it("answers 404 for another workspace's pipeline and leaves it unchanged", async () => {
    const [theirs] = await pipelinesOf(app, stranger);
    const response = await app.call(owner, 'POST', `/api/pipelines/${theirs.id}/stages`, { name: 'Mine' });
    expect(response.status).toBe(404);
    expect((await pipelinesOf(app, stranger))[0].stages).toHaveLength(4);
  });
});

describe('renaming a stage', () => {
  it('renames it in place', async () => {
    const pipeline = await newPipeline(['A', 'B']);
    const stage = pipeline.stages[1]!;
    const response = await app.call(owner, 'PATCH', `/api/pipelines/${pipeline.id}/stages/${stage.id}`, {
      name: 'Renamed',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: stage.id, name: 'Renamed', position: 1 });
  });

  it("answers 404 for a stage of another pipeline or another workspace's stage", async () => {
    const one = await newPipeline(['A']);
    const two = await newPipeline(['B']);
    const crossed = await app.call(owner, 'PATCH', `/api/pipelines/${one.id}/stages/${two.stages[0]!.id}`, {
      name: 'X',
    });
    expect(crossed.status).toBe(404);
    expect(await crossed.json()).toMatchObject({ field: 'stageId' });
    const foreign = await app.call(owner, 'PATCH', `/api/pipelines/${one.id}/stages/${strangerStageId}`, {
      name: 'X',
    });
    expect(foreign.status).toBe(404);
    expect(await stageNames(two.id)).toEqual(['0:B']);
    const badShape = await app.call(owner, 'PATCH', `/api/pipelines/${one.id}/stages/123`, { name: 'X' });
    expect(badShape.status).toBe(422);
  });
});

describe('reordering stages', () => {
  it('stores exactly the order sent', async () => {
    const pipeline = await newPipeline(['A', 'B', 'C', 'D']);
    const [a, b, c, d] = pipeline.stages.map((s) => s.id);
    const response = await app.call(owner, 'PUT', `/api/pipelines/${pipeline.id}/stages/order`, {
      stageIds: [d, b, a, c],
    });
    expect(response.status).toBe(200);
    const body: any = await response.json();
    expect(body.stages.map((s: any) => s.name)).toEqual(['D', 'B', 'A', 'C']);
    expect(await stageNames(pipeline.id)).toEqual(['0:D', '1:B', '2:A', '3:C']);
    await app.call(owner, 'PUT', `/api/pipelines/${pipeline.id}/stages/order`, { stageIds: [a, b, c, d] });
    expect(await stageNames(pipeline.id)).toEqual(['0:A', '1:B', '2:C', '3:D']);
  });

  it("refuses a list that is not exactly the pipeline's stages, and keeps the order", async () => {
    const pipeline = await newPipeline(['A', 'B', 'C']);
    const other = await newPipeline(['X']);
    const [a, b, c] = pipeline.stages.map((s) => s.id);
    const lists = [
      [a, b],
      [a, b, c, c],
      [a, b, b],
      [a, b, other.stages[0]!.id],
      [a, b, c, other.stages[0]!.id],
      [a, b, strangerStageId],
    ];
    for (const stageIds of lists) {
      const response = await app.call(owner, 'PUT', `/api/pipelines/${pipeline.id}/stages/order`, {
        stageIds,
      });
      expect(response.status).toBe(422);
      expect(await response.json()).toMatchObject({ code: 'stage_order_mismatch', field: 'stageIds' });
    }
    for (const body of [{}, { stageIds: 'a' }, { stageIds: [] }, { stageIds: ['nope'] }]) {
      expect((await app.call(owner, 'PUT', `/api/pipelines/${pipeline.id}/stages/order`, body)).status).toBe(
        422,
      );
    }
    expect(await stageNames(pipeline.id)).toEqual(['0:A', '1:B', '2:C']);
  });

  it("answers 404 for another workspace's pipeline", async () => {
    const [theirs] = await pipelinesOf(app, stranger);
    const stageIds = theirs.stages.map((s: any) => s.id).reverse();
    const response = await app.call(owner, 'PUT', `/api/pipelines/${theirs.id}/stages/order`, { stageIds });
    expect(response.status).toBe(404);
    expect((await pipelinesOf(app, stranger))[0].stages.map((s: any) => s.name)).toEqual([
      'New',
      'Invoice sent',
      'Won',
      'Lost',
    ]);
  });
});

describe('deleting a stage', () => {
  it('deletes an empty stage and closes the gap', async () => {
    const pipeline = await newPipeline(['A', 'B', 'C']);
    const response = await app.call(
      owner,
      'DELETE',
      `/api/pipelines/${pipeline.id}/stages/${pipeline.stages[1]!.id}`,
    );
    expect(response.status).toBe(204);
    expect(await stageNames(pipeline.id)).toEqual(['0:A', '1:C']);
  });

  it('refuses a stage with deals, and the last stage', async () => {
    const pipeline = await newPipeline(['A', 'B']);
    const [a, b] = pipeline.stages.map((s) => s.id);
    const contactId = await insertContact(app, owner);
    await app.call(owner, 'POST', '/api/deals', { title: 'Deal', contactId, stageId: a });
    const busy = await app.call(owner, 'DELETE', `/api/pipelines/${pipeline.id}/stages/${a}`);
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ code: 'stage_not_empty', field: 'stageId' });
    expect((await app.call(owner, 'DELETE', `/api/pipelines/${pipeline.id}/stages/${b}`)).status).toBe(204);
    const solo = await newPipeline(['Only']);
    const last = await app.call(owner, 'DELETE', `/api/pipelines/${solo.id}/stages/${solo.stages[0]!.id}`);
    expect(last.status).toBe(409);
    expect(await last.json()).toMatchObject({ code: 'last_stage' });
    expect(await stageNames(pipeline.id)).toEqual(['0:A']);
  });

  it("answers 404 for another pipeline's or another workspace's stage", async () => {
    const one = await newPipeline(['A', 'B']);
    const two = await newPipeline(['C', 'D']);
    expect(
      (await app.call(owner, 'DELETE', `/api/pipelines/${one.id}/stages/${two.stages[0]!.id}`)).status,
    ).toBe(404);
    expect(
      (await app.call(owner, 'DELETE', `/api/pipelines/${one.id}/stages/${strangerStageId}`)).status,
    ).toBe(404);
    const [theirs] = await pipelinesOf(app, stranger);
    expect(
      (await app.call(owner, 'DELETE', `/api/pipelines/${theirs.id}/stages/${strangerStageId}`)).status,
    ).toBe(404);
    expect((await pipelinesOf(app, stranger))[0].stages).toHaveLength(4);
    expect(await stageNames(two.id)).toEqual(['0:C', '1:D']);
  });
});
