import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance={busy.submit}`: marks the form as working while it waits, then lets SvelteKit apply
 * the answer as usual (redirect, invalidate, or the refused form).
 */
export function busyForm(options: { reset?: boolean } = {}) {
  let pending = $state(false);
  const submit: SubmitFunction = () => {
    pending = true;
    return async ({ update }) => {
      await update({ reset: options.reset ?? true });
      pending = false;
    };
  };
  return {
    get pending() {
      return pending;
    },
    submit,
  };
}
