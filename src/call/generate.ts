/**
 * Generated functions (marshallers, unmarshallers): made from JS source whose free
 * names are helpers. The helpers are bound as `const`s of the function's scope, so once
 * V8 knows the function, optimized code uses each helper as a constant (a typed array's
 * data pointer, a native entry's identity) instead of loading and checking it per call.
 */
export function generate<T>(source: string, helpers: Readonly<Record<string, unknown>>): T {
  const names = Object.keys(helpers);
  const factory = new Function("helpers", `"use strict";\nconst { ${names.join(", ")} } = helpers;\n${source}`) as (h: typeof helpers) => T;
  return factory(helpers);
}

/**
 * A JS identifier made from `name` (a C symbol, a signature text) for a generated function's
 * name: other characters become "_", and a leading digit ("3d_add") gets a "_" before it.
 */
export function jsIdentifier(name: string): string {
  const id = name.replace(/\W/g, "_");
  return /^\d/.test(id) ? `_${id}` : id;
}
