/**
 * IAM wildcard patterns (`*` any run of characters, `?` one character): as a
 * regular expression for one string, and compared as the sets of strings they
 * match, not as text. `globCovers(p, q)`: does every string `q` matches also
 * match `p`? (`stream/acme-raw-*` covers `stream/acme-raw-?`, not the other way
 * round.) `globsIntersect(p, q)`: is there a string both match? Both answered
 * exactly for these patterns, by dynamic programming over the two patterns.
 */

/** IAM's wildcards (`*` any run of characters, `?` one character) as a regular expression matching the whole string */
export function globToRegExp(pattern: string, flags = ""): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, flags);
}

/** a memoised walk over positions (i in the first pattern, j in `q`): `step` decides one pair, calling `go` for the rest */
function walk(q: string, step: (i: number, j: number, go: (i: number, j: number) => boolean) => boolean): boolean {
  const memo = new Map<number, boolean>();
  const width = q.length + 1;
  const go = (i: number, j: number): boolean => {
    const key = i * width + j;
    let r = memo.get(key);
    if (r === undefined) memo.set(key, (r = step(i, j, go)));
    return r;
  };
  return go(0, 0);
}

/** every string matched by `q` is matched by `p` */
export function globCovers(p: string, q: string, ignoreCase = false): boolean {
  if (ignoreCase) {
    p = p.toLowerCase();
    q = q.toLowerCase();
  }
  if (p === q || p === "*") return true;
  return walk(q, (i, j, go) => {
    if (i === p.length) return j === q.length;
    if (p[i] === "*") return go(i + 1, j) || (j < q.length && go(i, j + 1));
    if (j === q.length) return false;
    // a literal or ? cannot stand for q's "any run, even empty"
    if (q[j] === "*") return false;
    if (q[j] === "?") return p[i] === "?" && go(i + 1, j + 1);
    return (p[i] === "?" || p[i] === q[j]) && go(i + 1, j + 1);
  });
}

/** the literal run before the first wildcard */
const literalPrefix = (p: string) => p.slice(0, p.search(/[*?]|$/));

/** some string is matched by both patterns */
export function globsIntersect(p: string, q: string, ignoreCase = false): boolean {
  if (ignoreCase) {
    p = p.toLowerCase();
    q = q.toLowerCase();
  }
  // fast path: literal starts that disagree (kinesis:... against iam:...) never meet
  const a = literalPrefix(p);
  const b = literalPrefix(q);
  if (!a.startsWith(b) && !b.startsWith(a)) return false;
  return walk(q, (i, j, go) => {
    if (i === p.length && j === q.length) return true;
    if (i < p.length && p[i] === "*") return go(i + 1, j) || (j < q.length && go(i, j + 1));
    if (j < q.length && q[j] === "*") return go(i, j + 1) || (i < p.length && go(i + 1, j));
    if (i === p.length || j === q.length) return false;
    return (p[i] === "?" || q[j] === "?" || p[i] === q[j]) && go(i + 1, j + 1);
  });
}

/** the service part of an action pattern, lower case ("*" for "*"): kinesis for kinesis:GetRecords */
export const serviceOf = (action: string): string => (action === "*" ? "*" : action.split(":")[0].toLowerCase());
