import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance` that says the form is working: `pending` is true from submit until the page has
 * its answer, so the button can be disabled and say so. The rest is SvelteKit's default;
 * `reset: false` keeps the fields for a form that is rebuilt from fresh data instead.
 */
export function pendingSubmit(options: { reset?: boolean } = {}) {
  const state = $state({ pending: false });
  const submit: SubmitFunction = () => {
    state.pending = true;
    return async ({ update }) => {
      try {
        await update(options);
      } finally {
        state.pending = false;
      }
    };
  };
  return {
    get pending() {
      return state.pending;
    },
    submit,
  };
}
