/**
 * IAM wildcard patterns (`*` any run of characters, `?` one character) compared
 * as the sets of strings they match, not as text. Both questions are answered
 * exactly for these patterns, by dynamic programming over the two patterns:
 * - `globCovers(p, q)`: does every string that `q` matches also match `p`?
 *   (`stream/acme-raw-*` covers `stream/acme-raw-?`; not the other way round)
 * - `globsIntersect(p, q)`: is there a string that both match?
 */

type Memo = Map<number, boolean>;

/** every string matched by `q` is matched by `p` */
export function globCovers(p: string, q: string, ignoreCase = false): boolean {
  if (ignoreCase) {
    p = p.toLowerCase();
    q = q.toLowerCase();
  }
  if (p === q || p === "*") return true;
  const memo: Memo = new Map();
  const width = q.length + 1;
  const go = (i: number, j: number): boolean => {
    const key = i * width + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === p.length) r = j === q.length;
    else if (p[i] === "*") r = go(i + 1, j) || (j < q.length && go(i, j + 1));
    else if (j === q.length) r = false;
    else if (q[j] === "*")
      r = false; // a literal or ? cannot stand for "any run, even empty"
    else if (q[j] === "?") r = p[i] === "?" && go(i + 1, j + 1);
    else r = (p[i] === "?" || p[i] === q[j]) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** some string is matched by both patterns */
export function globsIntersect(p: string, q: string, ignoreCase = false): boolean {
  if (ignoreCase) {
    p = p.toLowerCase();
    q = q.toLowerCase();
  }
  const memo: Memo = new Map();
  const width = q.length + 1;
  const go = (i: number, j: number): boolean => {
    const key = i * width + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === p.length && j === q.length) r = true;
    else if (i < p.length && p[i] === "*") r = go(i + 1, j) || (j < q.length && go(i, j + 1));
    else if (j < q.length && q[j] === "*") r = go(i, j + 1) || (i < p.length && go(i + 1, j));
    else if (i === p.length || j === q.length) r = false;
    else r = (p[i] === "?" || q[j] === "?" || p[i] === q[j]) && go(i + 1, j + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

/** does the string `s` (taken literally) match the pattern? */
export function globMatches(pattern: string, s: string, ignoreCase = false): boolean {
  return globCovers(pattern, s.replace(/[*?]/g, "\u0000"), ignoreCase);
}
