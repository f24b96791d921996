import { generateWebhookSecret } from '@paylinks/plugin-sandbox';

/** What the scenarios need from the product's own API before the database is seeded with SQL. */
export interface BenchWorkspace {
  workspaceId: string;
  userId: string;
  contactId: string;
  /** A sandbox method connected with a secret the bench knows, so it can sign webhooks. */
  methodId: string;
  webhookSecret: string;
  /** Two, used in turn, as two scripts of one team would (the per-key limit is raised for the run). */
  apiKeys: string[];
}

const API_KEYS = 2;

/**
 * Signs up (the database is fresh, so sign-up is open), then makes the API keys, the sandbox method
 * and the contact through the API, as a team would.
 */
export async function setUpWorkspace(baseUrl: string, publicUrl: string): Promise<BenchWorkspace> {
  const origin = new URL(publicUrl).origin;
  const json = { 'content-type': 'application/json', origin };
  const signUp = await fetch(`${baseUrl}/api/signup`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      name: 'Bench Owner',
      email: 'bench@example.com',
      password: 'a long password for the bench',
      workspaceName: 'Bench',
    }),
  });
  if (signUp.status !== 201) throw new Error(`sign-up answered ${signUp.status}: ${await signUp.text()}`);
  const account = (await signUp.json()) as { user: { id: string }; workspace: { id: string } };
  const cookie = signUp.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { ...json, cookie },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  const apiKeys: string[] = [];
  for (let i = 0; i < API_KEYS; i++) {
    apiKeys.push((await post<{ key: string }>('/api/api-keys', { name: `bench ${i + 1}` })).key);
  }
  const webhookSecret = generateWebhookSecret();
  const method = await post<{ id: string }>('/api/payment-methods', {
    providerId: 'sandbox',
    displayName: 'Bench sandbox',
    credentials: { webhookSecret },
  });
  const contact = await post<{ id: string }>('/api/contacts', {
    name: 'Grace Payer',
    email: 'grace@example.com',
  });
  return {
    workspaceId: account.workspace.id,
    userId: account.user.id,
    contactId: contact.id,
    methodId: method.id,
    webhookSecret,
    apiKeys,
  };
}
