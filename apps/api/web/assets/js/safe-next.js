// Where the login page may send a user on to: a page of this site only (an open redirect is a phishing tool).

/**
 * `next` resolved the way the browser resolves a link, kept only when it stays on `origin`: prefix
 * checks miss what the URL parser does (`/\evil.com` and `/\t/evil.com` both mean `//evil.com`).
 * Answers the path, query and fragment to go to, or null.
 */
export function safeNext(next, origin = location.origin) {
  if (typeof next !== 'string' || !next.startsWith('/')) return null;
  let url;
  try {
    url = new URL(next, origin);
  } catch {
    return null;
  }
  return url.origin === origin ? url.pathname + url.search + url.hash : null;
}
