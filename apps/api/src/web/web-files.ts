import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';

/**
 * Where the pages live. They are plain files under `apps/api/web/` in the repository, served from
 * there by both `ts` (tests) and the built `dist/` code (no copy step: the build ships nothing new).
 * The repository root is the nearest folder above this file that holds package.json.
 */
export function webRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`No package.json above ${from}: cannot find the web pages`);
    dir = up;
  }
  return join(dir, 'apps', 'api', 'web');
}

/** Chart.js's browser bundle, straight from node_modules (no CDN: the pages work offline). */
export function chartBundle(): string {
  return join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export const contentTypeOf = (file: string): string => TYPES[extname(file)] ?? 'application/octet-stream';

/**
 * Every servable asset by its URL path (`/assets/js/api.js` → absolute file), listed once at start-up:
 * a request can only ever name a file in this map, so no path from the URL reaches the file system.
 */
export function listAssets(root: string): Map<string, string> {
  const assets = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (TYPES[extname(name)]) assets.set(`/${relative(root, path).split(sep).join('/')}`, path);
    }
  };
  walk(join(root, 'assets'));
  assets.set('/assets/vendor/chart.umd.min.js', chartBundle());
  return assets;
}
