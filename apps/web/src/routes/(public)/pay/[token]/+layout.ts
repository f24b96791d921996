// Server-rendered only: no hydration script (27–37 KB) for a page that works as plain HTML forms.
export const csr = false;
