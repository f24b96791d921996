import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * Checks a response against the OpenAPI document the app serves: the status is one the operation
 * documents, the content type is one that status documents (or there is no body where none is
 * documented), and the body matches the schema. Used by testApp on every response, so a drift
 * between the API and its document fails the test whose request caused it.
 */
export interface ContractCheck {
  /** The drift, in words, or undefined when the response keeps the contract. */
  check(method: string, path: string, response: Response): Promise<string | undefined>;
}

type Schema = Record<string, unknown>;
interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: Schema }>;
}
interface OperationObject {
  responses: Record<string, ResponseObject>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema>; responses?: Record<string, ResponseObject> };
}

// Served beside the document, not described in it: the document itself and the docs page.
const undocumentedPaths = /^\/api\/(openapi\.json|docs(\/.*)?)$/;
// Paths no operation matches answer the app-wide 404 (or 405) problem, or, under /api/ and without
// credentials, the member check's 401 first (it runs before routing decides there is no such route).
const fallbackStatuses = new Set([401, 404, 405]);
const documentId = 'paylinks-openapi';

interface CompiledPath {
  pattern: RegExp;
  /** Literal segments first wins: /api/payments/totals before /api/payments/{id}. */
  literalSegments: number;
  operations: Record<string, OperationObject>;
}

export function createContractCheck(document: OpenApiDocument): ContractCheck {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: documentId, components: document.components ?? {} });
  const validators = new Map<Schema, ValidateFunction>();
  const validatorFor = (schema: Schema) => {
    let validate = validators.get(schema);
    if (!validate) {
      // Inline schemas point into the document's components: make those references absolute.
      const absolute = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', `"${documentId}#/components/`),
      );
      validate = ajv.compile(absolute);
      validators.set(schema, validate);
    }
    return validate;
  };

  const paths: CompiledPath[] = Object.entries(document.paths)
    .map(([template, operations]) => ({
      pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      literalSegments: template.split('/').filter((s) => s && !s.startsWith('{')).length,
      operations,
    }))
    .sort((a, b) => b.literalSegments - a.literalSegments);

  // Shared answers (429, 503, …) are references into components.responses.
  const sharedResponse = (response: ResponseObject): ResponseObject => {
    if (!response.$ref) return response;
    const name = response.$ref.replace('#/components/responses/', '');
    const shared = document.components?.responses?.[name];
    if (!shared) throw new Error(`The document refers to the missing response ${response.$ref}`);
    return shared;
  };

  return {
    async check(method, path, response) {
      if (undocumentedPaths.test(path)) return undefined;
      const matching = paths.find((p) => p.pattern.test(path));
      // HEAD is answered by the GET route, without a body.
      const operation = matching?.operations[method === 'HEAD' ? 'get' : method.toLowerCase()];
      if (!operation) {
        return fallbackStatuses.has(response.status)
          ? checkProblem(response, validatorFor)
          : `no documented operation, yet answered ${response.status}`;
      }
      const documented =
        operation.responses[String(response.status)] ??
        operation.responses[`${String(response.status)[0]}XX`] ??
        operation.responses.default;
      if (!documented) return `status ${response.status} is not documented for this operation`;
      if (method === 'HEAD') return undefined;
      return checkBody(response, sharedResponse(documented), validatorFor);
    },
  };
}

async function checkBody(
  response: Response,
  documented: ResponseObject,
  validatorFor: (schema: Schema) => ValidateFunction,
): Promise<string | undefined> {
  const text = await response.clone().text();
  const contentType = response.headers.get('content-type')?.split(';', 1)[0]?.trim().toLowerCase();
  const content = documented.content ?? {};
  if (text === '' && !contentType) return undefined;
  if (!contentType) return `a ${text.length}-character body without a content type`;
  const media = content[contentType];
  if (!media) {
    const allowed = Object.keys(content);
    return `content type ${contentType} is not documented (documented: ${allowed.join(', ') || 'no body'})`;
  }
  if (!media.schema || !contentType.endsWith('json')) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `a ${contentType} body that is not JSON: ${text.slice(0, 80)}`;
  }
  const validate = validatorFor(media.schema);
  if (validate(body)) return undefined;
  const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
  return `body does not match the schema: ${errors.join('; ')} — ${text.slice(0, 300)}`;
}

const problemShape: Schema = {
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: { status: { type: 'integer' }, code: { type: 'string' } },
};

async function checkProblem(
  response: Response,
  validatorFor: (schema: Schema) => ValidateFunction,
): Promise<string | undefined> {
  return checkBody(
    response,
    { content: { 'application/problem+json': { schema: problemShape } } },
    validatorFor,
  );
}
