import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signUpWorkspace } from '../support/api-helpers';
import { openPage } from '../support/browser';
import { sandboxCard } from '../support/pay-page';
import { checkScreen, contactAndDeal, open, signedIn, submit } from './crm-payments-support';

/** Fills in the Courses page's New course form and submits it. */
async function createCourse(
  page: Page,
  course: { title: string; description: string; amount: string; published: boolean },
) {
  const form = page.locator('section', { has: page.getByRole('heading', { name: 'New course' }) });
  await form.getByLabel('Title', { exact: true }).fill(course.title);
  await form.getByLabel('Description', { exact: true }).fill(course.description);
  await form.getByLabel('Price', { exact: true }).fill(course.amount);
  if (course.published) await form.getByLabel('Published (can be sold)').check();
  await submit(page, form.getByRole('button', { name: 'Create course' }));
  const created = page.getByRole('status').filter({ hasText: `Created the course “${course.title}”.` });
  const refused = page.getByRole('alert');
  await created.or(refused).or(page.locator('[aria-invalid="true"]')).first().waitFor();
  const invalid = await page.locator('[aria-invalid="true"] ~ p').allTextContents();
  expect(invalid, course.title).toEqual([]);
  expect(await refused.allTextContents(), course.title).toEqual([]);
}

/** The payer's side, in a browser context of their own: the payment page with the sandbox card. */
async function payInAnotherBrowser(url: string) {
  const payer = await openPage('phone');
  try {
    await payer.page.goto(url);
    await payer.page.getByLabel('Email').fill('payer@example.com');
    await payer.page.getByLabel('Phone').fill('+31 6 12345678');
    await payer.page.getByLabel('Card number').fill(sandboxCard.pays);
    await payer.page.getByLabel('Expiry date').fill('1239');
    await payer.page.getByLabel('Security code').fill('123');
    await Promise.all([
      payer.page.waitForURL(/\/return\?payment=/),
      payer.page.getByRole('button', { name: /^Pay / }).click(),
    ]);
    return await payer.page.getByRole('heading', { level: 1 }).textContent();
  } finally {
    await payer.close();
  }
}

describe('EDU course payments in the CRM', () => {
  it('creates courses in settings, sells the published paid one with an EDU link, and the paid contact is enrolled (and the course can no longer be deleted)', async () => {
    const workspace = await signUpWorkspace();
    const { contact } = await contactAndDeal(workspace, 'Mary Jackson');
    const journey = await signedIn(workspace, 'desktop');
    journey.context.setDefaultTimeout(8_000);
    try {
      const page = await open(journey, '/settings/courses');
      await expect(
        page
          .getByRole('navigation', { name: 'Settings sections' })
          .getByRole('link', { name: 'Courses' })
          .getAttribute('aria-current'),
      ).resolves.toBe('page');
      await createCourse(page, {
        title: 'Orbital mechanics',
        description: 'Twelve evenings on trajectories',
        amount: '120.00',
        published: true,
      });
      await createCourse(page, {
        title: 'Wind tunnels (draft)',
        description: 'Not ready yet',
        amount: '80.00',
        published: false,
      });
      const orbital = page.locator('[data-course="Orbital mechanics"]');
      await expect(orbital.locator('[data-course-price]').textContent()).resolves.toBe('€120.00');
      await expect(orbital.locator('[data-course-state]').textContent()).resolves.toBe('Published');
      await expect(
        page.locator('[data-course="Wind tunnels (draft)"] [data-course-state]').textContent(),
      ).resolves.toBe('Draft');
      await checkScreen(journey, 'crm-edu-courses-desktop');

      await open(journey, `/contacts/${contact.id}?tab=payments`);
      await page.getByText('Create payment', { exact: true }).click();
      await page.getByLabel('Payment type').selectOption({ label: 'EDU payment' });
      // Only the paid, published course is offered; its price and description come with it.
      const courseSelect = page.getByLabel('Course', { exact: true });
      await expect(courseSelect.locator('option').allTextContents()).resolves.toEqual([
        'Orbital mechanics · €120.00',
      ]);
      await expect(page.locator('[data-course-amount]').textContent()).resolves.toBe('€120.00');
      await expect(page.locator('[data-course-description]').textContent()).resolves.toBe(
        'Twelve evenings on trajectories',
      );
      await expect(page.getByLabel('Amount', { exact: true }).count()).resolves.toBe(0);
      await expect(page.getByLabel('Payment description').count()).resolves.toBe(0);
      await checkScreen(journey, 'crm-edu-form-desktop');
      await submit(page, page.getByRole('button', { name: 'Create link' }));
      const url = await page
        .getByTestId('created-link')
        .getByLabel('Payment link', { exact: true })
        .inputValue();
      expect(url).toMatch(/\/pay\/[A-Za-z0-9_-]{22,}$/);

      const { data: links } = await workspace.api.GET('/api/payment-links', {
        params: { query: { contactId: contact.id } },
      });
      expect(links?.items.find((link) => link.url === url)).toMatchObject({
        amount: { amount: '120.00', currency: 'EUR' },
        description: 'Twelve evenings on trajectories',
      });

      await expect(payInAnotherBrowser(url)).resolves.toBe('Payment complete');

      await open(journey, `/contacts/${contact.id}?tab=courses`);
      const enrollment = page.locator('[data-enrollment="Orbital mechanics"]');
      await expect(enrollment.locator('[data-enrollment-state]').textContent()).resolves.toContain('Active');
      await expect(page.locator('[data-enrollment]').count()).resolves.toBe(1);
      await checkScreen(journey, 'crm-edu-enrollments-desktop');

      // A course someone is enrolled in is in use: deleting it is refused, and the page says why.
      await open(journey, '/settings/courses');
      await orbital.getByText('Delete…', { exact: true }).click();
      await submit(page, orbital.getByRole('button', { name: 'Delete course' }));
      await expect(orbital.getByRole('alert').textContent()).resolves.toContain('can’t be deleted');
    } finally {
      await journey.close();
    }
  });

  it('shows the courses page and the EDU form on a phone, and creates the link there', async () => {
    const workspace = await signUpWorkspace();
    const { contact } = await contactAndDeal(workspace, 'Dorothy Vaughan');
    const journey = await signedIn(workspace, 'phone');
    journey.context.setDefaultTimeout(8_000);
    try {
      const page = await open(journey, '/settings/courses');
      await createCourse(page, {
        title: 'Fortran for beginners',
        description: 'From punch cards to arrays',
        amount: '45',
        published: true,
      });
      await checkScreen(journey, 'crm-edu-courses-phone');

      await open(journey, `/contacts/${contact.id}?tab=payments`);
      await page.getByText('Create payment', { exact: true }).click();
      await page.getByLabel('Payment type').selectOption({ label: 'EDU payment' });
      await expect(page.locator('[data-course-amount]').textContent()).resolves.toBe('€45.00');
      await checkScreen(journey, 'crm-edu-form-phone');
      await submit(page, page.getByRole('button', { name: 'Create link' }));
      await page.getByTestId('created-link').waitFor();
    } finally {
      await journey.close();
    }
  });

  it('without JavaScript, sends type + course and the link gets the course price', async () => {
    const workspace = await signUpWorkspace();
    const { contact } = await contactAndDeal(workspace, 'Katherine Goble');
    const course = await workspace.api.POST('/api/edu/courses', {
      body: {
        title: 'Analytic geometry',
        description: 'Conics by hand',
        price: { amount: '60.00', currency: 'EUR' },
        free: false,
        published: true,
      },
    });
    expect(course.response.status).toBe(201);
    const journey = await signedIn(workspace, 'desktop', { javaScriptEnabled: false });
    journey.context.setDefaultTimeout(8_000);
    try {
      const page = await open(journey, `/contacts/${contact.id}?tab=payments`, false);
      await page.getByText('Create payment', { exact: true }).click();
      await page.getByLabel('Payment type').selectOption({ label: 'EDU payment' });
      await page.getByLabel('Course', { exact: true }).selectOption({ label: 'Analytic geometry · €60.00' });
      await submit(page, page.getByRole('button', { name: 'Create link' }));
      const url = await page
        .getByTestId('created-link')
        .getByLabel('Payment link', { exact: true })
        .inputValue();
      const { data: links } = await workspace.api.GET('/api/payment-links', {
        params: { query: { contactId: contact.id } },
      });
      expect(links?.items.find((link) => link.url === url)).toMatchObject({
        amount: { amount: '60.00', currency: 'EUR' },
        description: 'Conics by hand',
      });
    } finally {
      await journey.close();
    }
  });
});
