// A small JSON Schema checker for the keywords providers.schema.json uses, so tests can prove the published
// schema accepts what the loader accepts (and flags what it rejects) without a validator dependency.

type Schema = { [key: string]: unknown };

/** Validates `value` against `schema`; returns one line per problem, each starting with its JSON path. */
export function checkJsonSchema(schema: Schema, value: unknown, path = '$'): string[] {
  const problems: string[] = [];
  if ('const' in schema && value !== schema.const) problems.push(`${path}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    problems.push(`${path}: not one of ${JSON.stringify(schema.enum)}`);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, String(type)))) problems.push(`${path}: expected ${types.join(' or ')}`);
  }
  if (Array.isArray(schema.anyOf)) {
    const results = schema.anyOf.map((option) => checkJsonSchema(option as Schema, value, path));
    if (!results.some((result) => result.length === 0))
      problems.push(`${path}: matches none of anyOf (${results.map((result) => result[0]).join(' | ')})`);
  }
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      problems.push(`${path}: does not match ${schema.pattern}`);
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) problems.push(`${path}: too short`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path}: below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items !== undefined) {
    value.forEach((item, index) =>
      problems.push(...checkJsonSchema(schema.items as Schema, item, `${path}[${index}]`)),
    );
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[])
      if (!(key in object)) problems.push(`${path}.${key}: required`);
    if (typeof schema.minProperties === 'number' && Object.keys(object).length < schema.minProperties)
      problems.push(`${path}: too few keys`);
    for (const [key, child] of Object.entries(object)) {
      if (schema.propertyNames !== undefined)
        problems.push(...checkJsonSchema(schema.propertyNames as Schema, key, `${path}.${key} (name)`));
      if (key in properties) problems.push(...checkJsonSchema(properties[key] as Schema, child, `${path}.${key}`));
      else if (schema.additionalProperties === false) problems.push(`${path}.${key}: unknown key`);
      else if (typeof schema.additionalProperties === 'object')
        problems.push(...checkJsonSchema(schema.additionalProperties as Schema, child, `${path}.${key}`));
    }
  }
  return problems;
}

function hasType(value: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(value);
  if (type === 'array') return Array.isArray(value);
  if (type === 'null') return value === null;
  if (type === 'object') return value !== null && typeof value === 'object' && !Array.isArray(value);
  return typeof value === type;
}
