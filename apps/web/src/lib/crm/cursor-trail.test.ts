import { describe, expect, it } from 'vitest';
import { pageLinks } from './cursor-trail';

const at = (search: string) => new URL(`http://x/contacts${search}`);

describe('pageLinks', () => {
  it('offers only Next on the first page, keeping the search', () => {
    expect(pageLinks(at('?q=ada'), 'c2')).toEqual({
      next: '/contacts?q=ada&cursor=c2&trail=-',
      previous: null,
    });
  });
  it('goes back through the trail to the first page', () => {
    const second = at('?q=ada&cursor=c2&trail=-');
    expect(pageLinks(second, 'c3')).toEqual({
      next: '/contacts?q=ada&cursor=c3&trail=-%2Cc2',
      previous: '/contacts?q=ada',
    });
    expect(pageLinks(at('?cursor=c3&trail=-,c2'), null)).toEqual({
      next: null,
      previous: '/contacts?cursor=c2&trail=-',
    });
  });
});
