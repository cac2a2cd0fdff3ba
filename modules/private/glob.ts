/** IAM's wildcards (`*` any run of characters, `?` one character) as a regular expression matching the whole string */
export function globToRegExp(pattern: string, flags = ""): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${body}$`, flags);
}
