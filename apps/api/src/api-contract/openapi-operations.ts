/** The operations an OpenAPI document describes, flattened, for tests that walk every route. */
export interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodySchema: JsonSchema | undefined;
}

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  $ref?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  items?: JsonSchema;
  enum?: unknown[];
};

type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, JsonSchema> };
};

export function listOperations(document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const parameters = operation.parameters ?? [];
      const body = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodySchema: body ? resolve(body, document) : undefined,
      });
    }
  }
  return operations;
}

function resolve(schema: JsonSchema, document: OpenApiDocument): JsonSchema {
  const resolved = schema.$ref
    ? (document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')] ?? {})
    : schema;
  if (!resolved.oneOf) return resolved;
  // A union (POST /api/payment-links on origin): every field any variant takes, so walkers send each.
  const variants = resolved.oneOf.map((variant) => resolve(variant, document));
  return {
    type: 'object',
    properties: Object.assign({}, ...variants.map((variant) => variant.properties ?? {})),
    required: variants[0]?.required?.filter((name) => variants.every((v) => v.required?.includes(name))),
  };
}

/** Fills an OpenAPI path template, e.g. /api/contacts/{id} with { id: '…' }. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? name));
}
