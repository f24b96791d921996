import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContact, workspaceFixture } from '../payments/payments-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';
import { pipelinesOf } from './deal-fixtures.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
let contactId: string;
let sales: any;
let renewals: any;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
  stranger = await app.signUp('Other Co');
  contactId = (
    await insertContact(app.database.db, await workspaceFixture(app.database.db, owner.workspaceId))
  ).id;
  [sales] = await pipelinesOf(app, owner);
  renewals = await (
    await app.call(owner, 'POST', '/api/pipelines', { name: 'Renewals', stages: ['Due', 'Paid'] })
  ).json();
});
afterAll(() => app.close());

async function newDeal() {
  const response = await app.call(owner, 'POST', '/api/deals', { title: 'Moving deal', contactId });
  return (await response.json()) as any;
}

const move = (dealId: string, body: unknown) => app.call(owner, 'POST', `/api/deals/${dealId}/move`, body);

describe('moving a deal', () => {
  it("moves within the deal's pipeline with the stage alone, and shows on the board there", async () => {
    const deal = await newDeal();
    app.clock.set(new Date(app.clock.now().getTime() + 1000));
    const response = await move(deal.id, { stageId: sales.stages[2].id });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: deal.id,
      pipelineId: sales.id,
      stageId: sales.stages[2].id,
      updatedAt: app.clock.now().toISOString(),
    });
    const board: any = await (await app.call(owner, 'GET', `/api/pipelines/${sales.id}/board`)).json();
    const ids = (i: number) => board.stages[i].deals.map((d: any) => d.id);
    expect(ids(2)).toContain(deal.id);
    expect(ids(0)).not.toContain(deal.id);
  });

  it('moving to the stage it is in changes nothing', async () => {
    const deal = await newDeal();
    app.clock.set(new Date(app.clock.now().getTime() + 1000));
    const response = await move(deal.id, { stageId: deal.stageId });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(deal);
  });

  it('moves into another pipeline only when that pipeline is named too', async () => {
    const deal = await newDeal();
    const implicit = await move(deal.id, { stageId: renewals.stages[1].id });
    expect(implicit.status).toBe(422);
    expect(await implicit.json()).toMatchObject({ code: 'stage_not_in_pipeline', field: 'stageId' });
    const mismatched = await move(deal.id, { stageId: renewals.stages[1].id, pipelineId: sales.id });
    expect(mismatched.status).toBe(422);
    const explicit = await move(deal.id, { stageId: renewals.stages[1].id, pipelineId: renewals.id });
    expect(explicit.status).toBe(200);
    expect(await explicit.json()).toMatchObject({ pipelineId: renewals.id, stageId: renewals.stages[1].id });
  });

  it("answers 404 for another workspace's stage or pipeline, and leaves the deal where it was", async () => {
    const deal = await newDeal();
    const [theirs] = await pipelinesOf(app, stranger);
    const foreignStage = await move(deal.id, { stageId: theirs.stages[1].id });
    expect(foreignStage.status).toBe(404);
    expect(await foreignStage.json()).toMatchObject({ field: 'stageId' });
    const foreignPipeline = await move(deal.id, { stageId: theirs.stages[1].id, pipelineId: theirs.id });
    expect(foreignPipeline.status).toBe(404);
    expect(await foreignPipeline.json()).toMatchObject({ field: 'pipelineId' });
    const unknown = await move(deal.id, { stageId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(await (await app.call(owner, 'GET', `/api/deals/${deal.id}`)).json()).toEqual(deal);
  });

  it('refuses missing, mistyped and malformed input with 422', async () => {
    const deal = await newDeal();
    for (const body of [
      {},
      { stageId: 5 },
      { stageId: 's'.repeat(10_000) },
      { stageId: sales.stages[1].id, extra: 1 },
    ]) {
      const response = await move(deal.id, body);
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await move('not-an-id', { stageId: sales.stages[1].id })).status).toBe(422);
    expect((await move('00000000-0000-4000-8000-000000000000', { stageId: sales.stages[1].id })).status).toBe(
      404,
    );
  });
});
