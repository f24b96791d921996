/** One control of a provider's connect form, read from its credentials JSON Schema. */
export interface CredentialField {
  key: string;
  /** The form control's name and id, and the API's `field` for its errors: `credentials.apiKey`. */
  name: string;
  label: string;
  kind: 'text' | 'secret' | 'boolean' | 'choice';
  required: boolean;
  options: string[];
  description?: string;
}

interface PropertySchema {
  type?: unknown;
  enum?: unknown;
  title?: unknown;
  description?: unknown;
  format?: unknown;
  writeOnly?: unknown;
}

// Names that hold a secret when the plugin did not mark it writeOnly: never echoed into the page.
const secretName = /(secret|password|token|key)$/i;
const acronyms: Record<string, string> = { api: 'API', id: 'ID', url: 'URL', iban: 'IBAN' };

/** `webhookSecret` → "Webhook secret", `apiKey` → "API key": a label when the schema has no title. */
export function labelOfKey(key: string): string {
  const words = key
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(' ')
    .filter(Boolean)
    .map((word) => acronyms[word] ?? word);
  const [first = '', ...rest] = words;
  return [first.charAt(0).toUpperCase() + first.slice(1), ...rest].join(' ');
}

function kindOf(key: string, property: PropertySchema): CredentialField['kind'] | undefined {
  if (Array.isArray(property.enum) && property.enum.every((value) => typeof value === 'string'))
    return 'choice';
  if (property.type === 'boolean') return 'boolean';
  if (property.type !== 'string') return undefined;
  return property.writeOnly === true || property.format === 'password' || secretName.test(key)
    ? 'secret'
    : 'text';
}

/**
 * The controls of a connect form, in the schema's order. Undefined when the form needs something
 * these controls cannot ask for (numbers, lists, nested objects): the page then says so instead of
 * offering a form the provider would refuse.
 */
export function credentialFields(schema: Record<string, unknown> | undefined): CredentialField[] | undefined {
  if (schema?.type !== 'object') return undefined;
  const properties = (schema.properties ?? {}) as Record<string, PropertySchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const fields: CredentialField[] = [];
  for (const [key, property] of Object.entries(properties)) {
    const kind = kindOf(key, property);
    if (!kind) return undefined;
    fields.push({
      key,
      name: `credentials.${key}`,
      label: typeof property.title === 'string' ? property.title : labelOfKey(key),
      kind,
      required: required.has(key),
      options: kind === 'choice' ? (property.enum as string[]) : [],
      ...(typeof property.description === 'string' ? { description: property.description } : {}),
    });
  }
  return fields;
}

/**
 * The credentials object from the posted form: an empty optional field is left out (the provider's
 * default applies, e.g. the sandbox generates its webhook secret), a checkbox is true when ticked.
 */
export function credentialsFromForm(fields: CredentialField[], form: FormData): Record<string, unknown> {
  const credentials: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.kind === 'boolean') {
      credentials[field.key] = form.get(field.name) === 'on';
      continue;
    }
    const value = form.get(field.name);
    if (typeof value === 'string' && (value !== '' || field.required)) credentials[field.key] = value;
  }
  return credentials;
}
