import { describe, expect, inject, it } from 'vitest';
import { createLink, signUpWorkspace } from '../support/api-helpers';
import { openPage, screenshot, type ViewportName } from '../support/browser';

const baseUrl = inject('baseUrl');

describe('the one process', () => {
  for (const viewport of ['phone', 'desktop'] satisfies ViewportName[]) {
    it(`sends a visitor from the home page to sign-in on a ${viewport}, with the security headers and no CSP violation`, async () => {
      const { page, cspViolations, close } = await openPage(viewport);
      try {
        const response = await page.goto('/');
        expect(response?.status()).toBe(200);
        expect(new URL(page.url()).pathname).toBe('/sign-in');
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
        expect(await page.title()).toBe('Sign in · Paylinks');
        const headers = response!.headers();
        expect(headers['x-content-type-options']).toBe('nosniff');
        expect(headers['referrer-policy']).toBe('same-origin');
        expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
        expect(headers['content-security-policy']).toContain("default-src 'none'");
        // Served over plain http here: HSTS would pin a browser to https the server does not speak.
        expect(headers['strict-transport-security']).toBeUndefined();
        await screenshot(page, `home-${viewport}`);
        expect(cspViolations).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('answers GET /api/health from the embedded API, on the embedded database', async () => {
    const response = await fetch(`${baseUrl}/api/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: { driver: 'pglite' } });
  });

  it('signs up a workspace and makes a link through the web server, on our own address', async () => {
    const link = await createLink(await signUpWorkspace());
    expect(link.url).toMatch(new RegExp(`^${baseUrl}/pay/[A-Za-z0-9_-]{22,}$`));
    expect(link.amount).toEqual({ amount: '25.00', currency: 'EUR' });
  });
});

describe('form posts to pages', () => {
  const formPost = (path: string, headers: Record<string, string>) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: 'email=ada%40example.com',
      redirect: 'manual',
    });

  it('refuses one from another site, or without an Origin', async () => {
    const cases: Record<string, string>[] = [{ origin: 'https://evil.example' }, { origin: 'null' }, {}];
    for (const headers of cases) {
      const response = await formPost('/', headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.text()).toMatch(/Cross-site form submissions are refused/);
    }
  });

  it('lets one from our own origin through to the page', async () => {
    // The home page has no actions: SvelteKit's own answer, not our refusal.
    const response = await formPost('/', { origin: baseUrl });
    expect(response.status).not.toBe(403);
  });

  it("lets a provider's form-encoded webhook without an Origin reach the API", async () => {
    const response = await formPost('/api/webhooks/00000000-0000-4000-8000-000000000000', {});
    expect(response.status).not.toBe(403);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });
});
