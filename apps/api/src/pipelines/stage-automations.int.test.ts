import { paymentStatuses } from '@paylinks/core';
import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelinesOf } from '../deals/deal-fixtures.js';
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

const allNull = Object.fromEntries(paymentStatuses.map((s) => [s, null]));

async function newPipeline(stages = ['New', 'Paid', 'Refunded']) {
  const response = await app.call(owner, 'POST', '/api/pipelines', { name: 'Automation test', stages });
  return (await response.json()) as { id: string; stages: { id: string }[] };
}

const url = (pipelineId: string) => `/api/pipelines/${pipelineId}/automations`;

describe('stage automation settings', () => {
  it('starts with no target for any status', async () => {
    const pipeline = await newPipeline();
    const response = await app.call(owner, 'GET', url(pipeline.id));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(allNull);
  });

  it('sets some targets, keeps the ones left out, and removes one with null', async () => {
    const pipeline = await newPipeline();
    const [, paid, refunded] = pipeline.stages.map((s) => s.id);
    const first = await app.call(owner, 'PUT', url(pipeline.id), { complete: paid, returned: refunded });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ...allNull, complete: paid, returned: refunded });
    await app.call(owner, 'PUT', url(pipeline.id), { confirmed_by_team_member: paid, complete: refunded });
    await app.call(owner, 'PUT', url(pipeline.id), { returned: null });
    const now: any = await (await app.call(owner, 'GET', url(pipeline.id))).json();
    expect(now).toEqual({ ...allNull, complete: refunded, confirmed_by_team_member: paid });
    // Another pipeline's settings are its own.
    const sales = (await pipelinesOf(app, owner)).find((p) => p.name === 'Sales');
    expect(await (await app.call(owner, 'GET', url(sales.id))).json()).toEqual(allNull);
  });

  it('drops a target when its stage is deleted', async () => {
    const pipeline = await newPipeline();
    const [, paid] = pipeline.stages.map((s) => s.id);
    await app.call(owner, 'PUT', url(pipeline.id), { complete: paid });
    expect((await app.call(owner, 'DELETE', `/api/pipelines/${pipeline.id}/stages/${paid}`)).status).toBe(
      204,
    );
    expect(await (await app.call(owner, 'GET', url(pipeline.id))).json()).toEqual(allNull);
  });

  it("refuses a stage of another pipeline (422) and an unknown or another workspace's stage (404)", async () => {
    const pipeline = await newPipeline();
    const other = await newPipeline();
    const [theirs] = await pipelinesOf(app, stranger);
    const crossed = await app.call(owner, 'PUT', url(pipeline.id), { complete: other.stages[0]!.id });
    expect(crossed.status).toBe(422);
    expect(await crossed.json()).toMatchObject({ code: 'stage_not_in_pipeline', field: 'complete' });
    for (const stageId of [theirs.stages[0].id, '00000000-0000-4000-8000-000000000000']) {
      const response = await app.call(owner, 'PUT', url(pipeline.id), {
        complete: pipeline.stages[1]!.id,
        returned: stageId,
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'not_found', field: 'returned' });
    }
    // A refused request changes nothing, not even its valid part.
    expect(await (await app.call(owner, 'GET', url(pipeline.id))).json()).toEqual(allNull);
  });

  it('refuses unknown statuses, wrong types and ids of the wrong shape with 422', async () => {
    const pipeline = await newPipeline();
    for (const body of [
      { paid: pipeline.stages[0]!.id },
      { complete: 5 },
      { complete: 'x'.repeat(10_000) },
      [],
    ]) {
      const response = await app.call(owner, 'PUT', url(pipeline.id), body);
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await app.call(owner, 'GET', url('not-a-uuid'))).status).toBe(422);
  });

  it("answers 404 for another workspace's pipeline, reading or writing", async () => {
    const [theirs] = await pipelinesOf(app, stranger);
    expect((await app.call(owner, 'GET', url(theirs.id))).status).toBe(404);
    const write = await app.call(owner, 'PUT', url(theirs.id), { complete: theirs.stages[2].id });
    expect(write.status).toBe(404);
    expect(await (await app.call(stranger, 'GET', url(theirs.id))).json()).toEqual(allNull);
  });
});
