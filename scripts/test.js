#!/usr/bin/env node
// `npm test`: the whole test suite on a fresh machine, set-up included (docs/testing.md).
//
// 1. The services the integration, e2e and browser tests talk to: PostgreSQL on 127.0.0.1:5432 (trust
//    auth for the user postgres), Redis on 127.0.0.1:6379, Debian's Chromium and a CJK font. Whatever is
//    missing or stopped is installed (apt-get) or started when this runs as root; otherwise it says, in
//    one message and before running anything, exactly what to install. TEST_DATABASE_SERVER_URL,
//    TEST_REDIS_URL and CHROMIUM_PATH point the tests at services of your own instead.
// 2. Dependencies (npm ci when node_modules is missing or stale), then the static checks: Prettier, ESLint
//    (with the layer rules of docs/architecture.md), type check, build, the OpenAPI drift check (the
//    committed docs/openapi.json and client types must equal a fresh generation) and Redocly's lint of it.
// 3. Every jest project on today's date, then the date-sensitive tests again on chosen days (the date
//    matrix: TEST_TODAY moves the platform's Clock), so the suite passes whatever day it runs.
//    `npm test -- --no-date-matrix` skips the matrix; `npm test -- --dates-only` runs only it.
//
// Plain JavaScript with no dependencies: it runs before anything is installed.
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const net = require('node:net');
const { join } = require('node:path');

const root = join(__dirname, '..');

/** Days the date-sensitive tests run on, besides the real today. */
const DATE_MATRIX = [
  ['2026-12-01', 'the first day of a month'],
  ['2026-11-30', 'the last day of a month'],
  ['2026-12-31', 'the last day of a year'],
  ['2026-10-01', 'a public holiday (National Day)'],
  ['2026-10-10', 'a make-up working Saturday (调休)'],
];

/** The tests whose outcome depends on the day: rules of time, and the calendar. */
const DATE_SENSITIVE = [
  'test/e2e/(oversight|reports|reduction|tuition|registry)\\.',
  'test/integration/licence-expiry\\.',
  'libs/core/src/calendar/',
  'libs/(tuition|oversight|registry)/src/.*(settlement-period|report-month|public-list|rules)\\.spec',
].join('|');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** One static check, named and timed in the log. */
function step(title, action) {
  console.log(`\n== ${title}`);
  const started = Date.now();
  action();
  console.log(`== ${title.split(' (')[0]}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function quiet(command, args) {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

function portOpen(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(1000);
    const answer = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => answer(true));
    socket.once('error', () => answer(false));
    socket.once('timeout', () => answer(false));
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 30; i++) {
    if (await portOpen(port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

let aptUpdated = false;
function aptInstall(packages) {
  console.log(`Installing ${packages.join(', ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  aptUpdated = true;
  execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: ['ignore', 'ignore', 'inherit'], env });
}

function newestPostgresVersion() {
  const versions = existsSync('/etc/postgresql') ? require('node:fs').readdirSync('/etc/postgresql') : [];
  return versions.sort((a, b) => Number(a) - Number(b)).at(-1);
}

/** A PostgreSQL apt-get just installed asks for passwords on 127.0.0.1; the tests expect trust there. */
function trustLoopback(version) {
  const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
  const fs = require('node:fs');
  const lines = fs.readFileSync(hba, 'utf8');
  fs.writeFileSync(hba, `host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n${lines}`);
}

/** What the tests need that this machine lacks, each with the Debian package that provides it. */
async function missingServices() {
  const missing = [];
  if (!process.env.TEST_DATABASE_SERVER_URL && !(await portOpen(5432))) {
    missing.push({ what: 'PostgreSQL on 127.0.0.1:5432', packages: has('pg_ctlcluster') ? [] : ['postgresql', 'postgresql-contrib'], start: 'postgresql' });
  }
  if (!process.env.TEST_REDIS_URL && !(await portOpen(6379))) {
    missing.push({ what: 'Redis on 127.0.0.1:6379', packages: has('redis-server') ? [] : ['redis-server'], start: 'redis' });
  }
  if (!existsSync(CHROMIUM)) missing.push({ what: `Chromium at ${CHROMIUM}`, packages: ['chromium'] });
  if (!(has('fc-list') && spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).stdout.trim())) {
    missing.push({ what: 'a CJK font (the pages and their screenshots are Chinese)', packages: ['fonts-noto-cjk'] });
  }
  return missing;
}

async function ensureServices() {
  const missing = await missingServices();
  if (!missing.length) return;
  const canInstall = process.getuid?.() === 0 && has('apt-get');
  if (!canInstall) {
    const packages = [...new Set(missing.flatMap((item) => item.packages))];
    console.error(
      [
        'npm test needs services this machine does not have or has stopped:',
        ...missing.map((item) => `  - ${item.what}`),
        packages.length ? `Install (Debian/Ubuntu): sudo apt-get install -y ${packages.join(' ')}` : '',
        missing.some((item) => item.start) ? 'Start PostgreSQL (trust auth for the user postgres on 127.0.0.1) and Redis.' : '',
        'Then run npm test again, or point TEST_DATABASE_SERVER_URL, TEST_REDIS_URL and CHROMIUM_PATH at services of your own.',
        'Nothing was run.',
      ]
        .filter(Boolean)
        .join('\n'),
    );
    process.exit(1);
  }
  const packages = [...new Set(missing.flatMap((item) => item.packages))];
  const freshPostgres = packages.includes('postgresql');
  if (packages.length) aptInstall(packages);
  if (missing.some((item) => item.start === 'postgresql')) {
    const version = newestPostgresVersion();
    if (freshPostgres) trustLoopback(version);
    quiet('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', freshPostgres ? 'restart' : 'start']);
    if (!(await waitForPort(5432))) throw new Error('PostgreSQL did not start on 127.0.0.1:5432');
  }
  if (missing.some((item) => item.start === 'redis')) {
    execFileSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']);
    if (!(await waitForPort(6379))) throw new Error('Redis did not start on 127.0.0.1:6379');
  }
}

async function main() {
  const args = process.argv.slice(2);
  const dateMatrix = !args.includes('--no-date-matrix');
  const datesOnly = args.includes('--dates-only');
  const ownArgs = ['--no-date-matrix', '--dates-only'];
  const jestArgs = args.filter((arg) => !ownArgs.includes(arg));
  await ensureServices();
  require('./ensure-installed');
  const checksStarted = Date.now();
  if (!datesOnly) {
    step('Prettier', () => run('npm', ['run', '--silent', 'format:check']));
    step('ESLint (with the layer rules of docs/architecture.md)', () => run('npm', ['run', '--silent', 'lint']));
  }
  run('npm', ['run', '--silent', 'typecheck']);
  run('npm', ['run', '--silent', 'build']);
  if (!datesOnly) {
    step('OpenAPI drift check', () => run(process.execPath, ['dist/scripts/openapi.js', '--check']));
    step('Redocly lint (recommended rules)', () => {
      // Counts only (the warnings are per route, and many); on a failure, once more with every problem's place.
      const lint = (format) =>
        spawnSync('npm', ['run', '--silent', 'openapi:lint', '--', `--format=${format}`], {
          cwd: root,
          stdio: 'inherit',
          env: { ...process.env, REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        });
      if (lint('summary').status !== 0) process.exit(lint('stylish').status || 1);
    });
    console.log(`\nStatic checks, type check and build: ${Math.round((Date.now() - checksStarted) / 1000)} s.`);
  }
  const jest = [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--maxWorkers=2'];
  const started = Date.now();
  if (!datesOnly) run(process.execPath, [...jest, ...jestArgs]);
  if (dateMatrix) {
    for (const [day, why] of DATE_MATRIX) {
      console.log(`\nThe date-sensitive tests on ${day}, ${why} (TEST_TODAY=${day}):`);
      run(process.execPath, [...jest, '--selectProjects', 'unit', 'integration', 'e2e', '--testPathPatterns', DATE_SENSITIVE], { TEST_TODAY: day });
    }
  }
  console.log(`\nnpm test: every run green in ${Math.round((Date.now() - started) / 1000)} s of jest.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
