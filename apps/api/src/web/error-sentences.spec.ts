import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { webRoot } from './web-files';

const ROOT = join(webRoot(__dirname), '..', '..', '..');

/** Every TypeScript source file (not a spec) under `folder`. */
function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** The codes the API can answer: quoted `AREA.NAME` strings of the source (DomainError, conflict(), the filter's map…). */
function apiCodes(): string[] {
  const codes = new Set<string>();
  for (const file of [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))])
    for (const match of readFileSync(file, 'utf8').matchAll(/'([A-Z]+\.[A-Z_]+)'/g)) codes.add(match[1]);
  return [...codes].sort();
}

/** The keys of the Chinese dictionary of the pages (`const zh = {…}` in i18n.js). */
function chineseKeys(): Set<string> {
  const text = readFileSync(join(webRoot(__dirname), 'assets', 'js', 'i18n.js'), 'utf8');
  const zh = text.slice(text.indexOf('const zh = {'), text.indexOf('const en = {'));
  return new Set([...zh.matchAll(/^\s+'([^']+)':/gm)].map((match) => match[1]));
}

/**
 * The pages never show a raw code in the Chinese view (docs/decisions.md "Pages: words, sessions and
 * small screens"): every code the API can answer has a Chinese sentence, `error.<code>`, saying what to do.
 */
describe('error sentences of the pages', () => {
  it('finds the codes in the source (the scan itself works)', () => {
    expect(apiCodes()).toEqual(expect.arrayContaining(['AUTH.FORBIDDEN', 'LICENCE.RENEWAL_NOT_OPEN', 'COMPLAINT.DAILY_LIMIT']));
  });

  it('has a Chinese sentence for every code the API can answer', () => {
    const keys = chineseKeys();
    expect(apiCodes().filter((code) => !keys.has(`error.${code}`))).toEqual([]);
  });
});
