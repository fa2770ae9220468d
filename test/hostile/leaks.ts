/** Finds where a secret value shows up in an output tree, apart from the places it is allowed to be. */

export type Path = ReadonlyArray<string | number>;

/** Every path under `tree` whose string (or byte) leaf contains `secret`, and for which `allowed` says no. */
export function leaksOf(secret: string, tree: unknown, allowed: (path: Path, root: unknown) => boolean = () => false): string[] {
  const found: string[] = [];
  const visit = (node: unknown, path: Array<string | number>) => {
    if (typeof node === 'string' || node instanceof Uint8Array) {
      const text = typeof node === 'string' ? node : Buffer.from(node).toString('utf8');
      if (text.includes(secret) && !allowed(path, tree)) found.push(path.join('.'));
      return;
    }
    if (Array.isArray(node)) node.forEach((child, index) => visit(child, [...path, index]));
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key.includes(secret)) found.push([...path, key].join('.'));
        visit(child, [...path, key]);
      }
    }
  };
  visit(tree, []);
  return found;
}

/** Whether `text` holds `secret` as written or as a JSON/YAML double-quoted string would escape it. */
export function textHolds(text: string, secret: string): boolean {
  return text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1));
}

const SECRET_FIELDS = new Set(['token', 'password', 'header_value', 'headerValue', 'webhook_endpoint', 'webhookEndpoint']);

/**
 * In a KRM output (items under `items` or bare documents): a source Auth0EventStream may keep what the user
 * wrote in its own secret fields, and a generated Secret holds the value in `stringData`; nothing else may.
 */
export function allowedInKrmOutput(itemsAt: number): (path: Path, root: unknown) => boolean {
  return (path, root) => {
    const item = itemAt(root, path.slice(0, itemsAt + 1));
    const rest = path.slice(itemsAt + 1);
    if (item?.['kind'] === 'Secret' && item['apiVersion'] === 'v1') return rest[0] === 'stringData' && rest.length === 2;
    if (item?.['kind'] === 'Auth0EventStream') return rest[0] === 'spec' && SECRET_FIELDS.has(String(rest[rest.length - 1]));
    return false;
  };
}

function itemAt(root: unknown, path: Path): Record<string, unknown> | undefined {
  let node: unknown = root;
  for (const key of path) node = (node as Record<string | number, unknown> | undefined)?.[key];
  return node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : undefined;
}
