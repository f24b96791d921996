/**
 * The API pages forward only (keyset cursors). To offer Previous, the URL carries the cursors of the
 * pages before this one: `trail` lists them oldest first, `-` standing for the first page.
 */
export interface PageLinks {
  next: string | null;
  previous: string | null;
}

const firstPage = '-';

export function pageLinks(url: URL, nextCursor: string | null): PageLinks {
  const cursor = url.searchParams.get('cursor');
  const trail = (url.searchParams.get('trail') ?? '').split(',').filter(Boolean);
  const hrefWith = (newCursor: string | null, newTrail: string[]) => {
    const target = new URL(url);
    target.searchParams.delete('cursor');
    target.searchParams.delete('trail');
    if (newCursor) target.searchParams.set('cursor', newCursor);
    if (newTrail.length > 0) target.searchParams.set('trail', newTrail.join(','));
    return `${target.pathname}${target.search}`;
  };
  const next = nextCursor ? hrefWith(nextCursor, [...trail, cursor ?? firstPage]) : null;
  let previous: string | null = null;
  if (cursor) {
    const before = trail.at(-1);
    previous = hrefWith(before && before !== firstPage ? before : null, trail.slice(0, -1));
  }
  return { next, previous };
}
