import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { signUpWorkspace } from '../support/api-helpers';
import { openPage } from '../support/browser';
import { baseUrl, clipboardText, openSettings, signedIn, submit } from './crm-settings-support';

const curl = async (key: string) => {
  const { stdout } = await promisify(execFile)('curl', [
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{http_code}',
    '-H',
    `Authorization: Bearer ${key}`,
    `${baseUrl()}/api/contacts`,
  ]);
  return Number(stdout);
};

describe('Settings › Team', () => {
  it('invites a member whose copied link is accepted in another browser, changes their role, revokes a second invitation and removes them', async () => {
    const workspace = await signUpWorkspace('Team Workspace');
    const owner = await signedIn(workspace.cookie, 'desktop');
    await owner.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const invitee = await openPage('phone');
    try {
      const page = await openSettings(owner, '/settings/team');
      await page.getByLabel('Email').fill('mo@example.com');
      await page.getByLabel('Role', { exact: true }).selectOption('member');
      await submit(page, page.getByRole('button', { name: 'Invite', exact: true }));
      const link = page.getByLabel('Invitation link');
      await link.waitFor();
      const url = await link.inputValue();
      expect(url).toMatch(new RegExp(`^${baseUrl()}/invite/`));
      await page.getByRole('button', { name: 'Copy Invitation link' }).click();
      await page.getByRole('button', { name: /^Copied/ }).waitFor();
      expect(await clipboardText(page)).toBe(url);
      await page.locator('[data-invitation="mo@example.com"]').waitFor();

      // The invitee opens the copied link and sets their name and password on the accept page.
      await invitee.page.goto(new URL(url).pathname);
      await invitee.page.getByLabel('Your name').fill('Mo Member');
      await invitee.page.getByLabel('Password').fill('a long password for mo');
      await Promise.all([
        invitee.page.waitForURL((target) => !target.pathname.startsWith('/invite/')),
        invitee.page.getByRole('button', { name: /Join/ }).click(),
      ]);
      // A member sees the team but is offered no invite form and no key management.
      await openSettings(invitee, '/settings/team');
      await invitee.page.getByText('Owners and admins invite people to the workspace.').waitFor();
      await expect(invitee.page.getByRole('button', { name: 'Invite', exact: true }).count()).resolves.toBe(
        0,
      );
      await openSettings(invitee, '/settings/payment-methods');
      await invitee.page.getByText(/An owner or admin of the workspace changes them/).waitFor();
      await expect(invitee.page.getByRole('button', { name: /^Disable/ }).count()).resolves.toBe(0);

      await page.reload();
      const mo = page.locator('[data-member="mo@example.com"]');
      await mo.waitFor();
      await expect(page.locator('[data-invitation="mo@example.com"]').count()).resolves.toBe(0);
      await mo.getByLabel('Role of Mo Member').selectOption('admin');
      await submit(page, mo.getByRole('button', { name: 'Change role Mo Member' }));
      const roleOf = async () =>
        (await workspace.api.GET('/api/members')).data!.members.find(
          (member) => member.email === 'mo@example.com',
        )?.role;
      await expect.poll(roleOf).toBe('admin');
      // Now an admin, the same browser gets the invite form.
      await openSettings(invitee, '/settings/team');
      await invitee.page.getByRole('button', { name: 'Invite', exact: true }).waitFor();

      await page.getByLabel('Email').fill('late@example.com');
      await submit(page, page.getByRole('button', { name: 'Invite', exact: true }));
      const late = page.locator('[data-invitation="late@example.com"]');
      await late.getByText('Revoke…').click();
      await submit(page, late.getByRole('button', { name: 'Revoke invitation' }));
      await expect.poll(() => late.count()).toBe(0);
      const pending = await workspace.api.GET('/api/invitations');
      expect(pending.data?.invitations).toEqual([]);

      await mo.getByText('Remove…').click();
      await submit(page, mo.getByRole('button', { name: 'Remove Mo Member' }));
      await page.getByText('Mo Member was removed from the workspace.').waitFor();
      await expect.poll(roleOf).toBeUndefined();
      // Their session in this workspace ended: the CRM sends them to sign in.
      await invitee.page.goto('/settings/team');
      expect(new URL(invitee.page.url()).pathname).toBe('/sign-in');
      expect(owner.cspViolations).toEqual([]);
    } finally {
      await owner.close();
      await invitee.close();
    }
  });
});

describe('Settings › API keys', () => {
  it('creates a key shown once, which works with curl until it is revoked', async () => {
    const workspace = await signUpWorkspace();
    const journey = await signedIn(workspace.cookie, 'phone');
    await journey.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    try {
      const page = await openSettings(journey, '/settings/api-keys');
      await page.getByLabel('Name').fill('Website sync');
      await submit(page, page.getByRole('button', { name: 'Create key' }));
      const field = page.getByLabel('API key', { exact: true });
      await field.waitFor();
      await page.getByText('Copy it now: it will not be shown again.').waitFor();
      await page.getByRole('button', { name: 'Copy API key' }).click();
      const key = await clipboardText(page);
      expect(key).toBe(await field.inputValue());
      expect(await curl(key)).toBe(200);

      // Reloaded, the page lists the key but never shows it again.
      await page.reload();
      const row = page.locator('[data-api-key="Website sync"]');
      await row.waitFor();
      expect(await page.content()).not.toContain(key);

      await row.getByText('Revoke…').click();
      await submit(page, row.getByRole('button', { name: 'Revoke key' }));
      await page.getByText('Website sync was revoked: it no longer works.').waitFor();
      expect(await curl(key)).toBe(401);
      expect(journey.cspViolations).toEqual([]);
    } finally {
      await journey.close();
    }
  });
});
