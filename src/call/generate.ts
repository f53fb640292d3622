/**
 * Generated functions (marshallers, unmarshallers, forwarders): made from JS source whose free
 * names are helpers. The helpers are bound as `const`s of the function's scope, so once
 * V8 knows the function, optimized code uses each helper as a constant (a typed array's
 * data pointer, a native entry's identity) instead of loading and checking it per call.
 *
 * The source depends on the signature only (per-function values such as plan ids and
 * messages are helpers), and each source is compiled once: a library opened, used and
 * closed again and again makes new closures of the same code, not new code, which V8
 * would keep in its compilation caches long after the functions are gone.
 */
export function generate<T>(source: string, helpers: Readonly<Record<string, unknown>>): T {
  const text = `"use strict";\nconst { ${Object.keys(helpers).join(", ")} } = helpers;\n${source}`;
  let factory = factories.get(text);
  if (!factory) factories.set(text, (factory = new Function("helpers", text) as Factory));
  return factory(helpers) as T;
}

type Factory = (helpers: Readonly<Record<string, unknown>>) => unknown;

/** Compiled sources (as many as distinct signatures and call shapes). */
const factories = new Map<string, Factory>();
