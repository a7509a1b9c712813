/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracket paths, as the official client
 * sends it (`metadata[order_id]=…`, `line_items[0][price_data][unit_amount]=900`, `expand[0]=…`, `expand[]=…`).
 * Parsed into nested objects; a level whose keys are exactly 0…n-1 becomes an array. Values stay strings, as
 * on the wire: the endpoint that reads a parameter knows its type (see `FormParams`).
 */
export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export class FormBodyError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
    this.name = 'FormBodyError';
  }
}

/** `a[b][0]` → `['a', 'b', '0']`; `expand[]` → `['expand', '']`. */
function keyPath(key: string): string[] {
  const open = key.indexOf('[');
  if (open === -1) return [key];
  const path = [key.slice(0, open)];
  let rest = key.slice(open);
  while (rest.length > 0) {
    const match = /^\[([^[\]]*)\]/.exec(rest);
    if (!match) throw new FormBodyError(`Invalid parameter name: ${key}`, key);
    path.push(match[1] ?? '');
    rest = rest.slice(match[0].length);
  }
  return path;
}

// Built in Maps so that keys such as `__proto__` are plain data, then turned into plain objects.
type Tree = string | Map<string, Tree>;

function toValue(tree: Tree): FormValue {
  if (typeof tree === 'string') return tree;
  const keys = [...tree.keys()];
  const dense = keys.every((key, index) => key === String(index));
  if (dense && keys.length > 0) return keys.map((key) => toValue(tree.get(key) ?? ''));
  return Object.fromEntries(keys.map((key) => [key, toValue(tree.get(key) ?? '')]));
}

export function parseFormBody(body: string): FormObject {
  const root = new Map<string, Tree>();
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = keyPath(rawKey);
    let node = root;
    path.forEach((segment, index) => {
      // `expand[]=a&expand[]=b`: an empty segment appends.
      const key = segment === '' ? String(node.size) : segment;
      if (index === path.length - 1) {
        if (node.get(key) instanceof Map) {
          throw new FormBodyError(
            `Invalid parameters: ${rawKey} is given both as a value and as a hash.`,
            rawKey,
          );
        }
        node.set(key, value);
        return;
      }
      const existing = node.get(key);
      if (typeof existing === 'string') {
        throw new FormBodyError(
          `Invalid parameters: ${rawKey} is given both as a value and as a hash.`,
          rawKey,
        );
      }
      const child = existing ?? new Map<string, Tree>();
      node.set(key, child);
      node = child;
    });
  }
  // The top level is always a hash, whatever its keys look like.
  return Object.fromEntries([...root].map(([key, tree]) => [key, toValue(tree)]));
}
