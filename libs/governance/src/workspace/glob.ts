// Minimal path globs for the config (`*`, `**`, `?`), matched against forward-slash paths relative to the
// schema root. Kept local because node:path's matchesGlob is still experimental on the pinned Node.

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  const cached = cache.get(glob);
  if (cached) return cached;
  let source = '^';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole segments; a trailing `**` matches the rest.
        if (glob[i + 2] === '/') {
          source += '(?:[^/]+/)*';
          i += 2;
        } else {
          source += '.*';
          i += 1;
        }
      } else {
        source += '[^/]*';
      }
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  const re = new RegExp(source + '$');
  cache.set(glob, re);
  return re;
}

export function matchesGlob(path: string, glob: string): boolean {
  return globToRegExp(glob).test(path);
}

/** Buf-style path match: the exact file, anything under a directory, or a glob. */
export function matchesPathSpec(path: string, spec: string): boolean {
  const clean = spec.replace(/\/+$/, '');
  if (clean === '' || clean === '.') return true;
  if (path === clean || path.startsWith(clean + '/')) return true;
  return /[*?]/.test(clean) && matchesGlob(path, clean);
}
