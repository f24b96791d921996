import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ setHeaders }) => {
  // Sign-in and invitation pages answer per visitor (a session, a token): never from a shared cache.
  setHeaders({ 'cache-control': 'no-store' });
};
