import { openTestDatabase } from '@paylinks/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertContact } from '../deals/deal-fixtures.js';
import { type TestApp, type TestMember, testApp } from '../testing/test-app.js';

let app: TestApp;
let owner: TestMember;
let stranger: TestMember;
let contactId: string;
beforeAll(async () => {
  app = testApp(await openTestDatabase());
  owner = await app.signUp('Acme');
  stranger = await app.signUp('Other Co');
  contactId = await insertContact(app, owner, 'Grace Hopper');
});
afterAll(() => app.close());

async function newPipeline(stages: string[]) {
  const response = await app.call(owner, 'POST', '/api/pipelines', { name: 'Board test', stages });
  return (await response.json()) as { id: string; stages: { id: string }[] };
}

async function createDeal(title: string, stageId: string) {
  app.clock.set(new Date(app.clock.now().getTime() + 60_000));
  const response = await app.call(owner, 'POST', '/api/deals', { title, contactId, stageId });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string };
}

const titles = (stage: any) => stage.deals.map((d: any) => d.title);

describe('the board', () => {
  it('lists stages in order, each with its deals newest first and its count', async () => {
    const pipeline = await newPipeline(['Lead', 'Offer', 'Won']);
    const [lead, offer, won] = pipeline.stages.map((s) => s.id);
    await createDeal('first lead', lead!);
    await createDeal('an offer', offer!);
    await createDeal('second lead', lead!);
    await app.call(owner, 'PUT', `/api/pipelines/${pipeline.id}/stages/order`, {
      stageIds: [won, lead, offer],
    });

    const response = await app.call(owner, 'GET', `/api/pipelines/${pipeline.id}/board`);
    expect(response.status).toBe(200);
    const board: any = await response.json();
    expect(board.stages.map((s: any) => [s.name, s.position, s.dealCount])).toEqual([
      ['Won', 0, 0],
      ['Lead', 1, 2],
      ['Offer', 2, 1],
    ]);
    expect(titles(board.stages[1])).toEqual(['second lead', 'first lead']);
    expect(board.stages[1].deals[0]).toMatchObject({
      contact: { id: contactId, name: 'Grace Hopper' },
      pipelineId: pipeline.id,
      stageId: lead,
    });
    expect(board.stages[1].nextCursor).toBeNull();
  });

  it('shows at most perStage deals per stage, and the rest through /api/deals with the cursor', async () => {
    const pipeline = await newPipeline(['Only']);
    const stageId = pipeline.stages[0]!.id;
    for (const n of [1, 2, 3, 4, 5]) await createDeal(`deal ${n}`, stageId);
    const board: any = await (
      await app.call(owner, 'GET', `/api/pipelines/${pipeline.id}/board?perStage=2`)
    ).json();
    const [stage] = board.stages;
    expect(stage.dealCount).toBe(5);
    expect(titles(stage)).toEqual(['deal 5', 'deal 4']);
    const more: any = await (
      await app.call(
        owner,
        'GET',
        `/api/deals?pipelineId=${pipeline.id}&stageId=${stageId}&limit=10&cursor=${stage.nextCursor}`,
      )
    ).json();
    expect(more.items.map((d: any) => d.title)).toEqual(['deal 3', 'deal 2', 'deal 1']);
    expect(more.nextCursor).toBeNull();
  });

  it("refuses a bad perStage, an id of the wrong shape, and another workspace's pipeline", async () => {
    const pipeline = await newPipeline(['Only']);
    await createDeal('secret deal', pipeline.stages[0]!.id);
    for (const perStage of ['0', '101', 'abc', '1.5']) {
      const response = await app.call(
        owner,
        'GET',
        `/api/pipelines/${pipeline.id}/board?perStage=${perStage}`,
      );
      expect(response.status, perStage).toBe(422);
    }
    expect((await app.call(owner, 'GET', '/api/pipelines/xyz/board')).status).toBe(422);
    const foreign = await app.call(stranger, 'GET', `/api/pipelines/${pipeline.id}/board`);
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain('secret deal');
  });
});
