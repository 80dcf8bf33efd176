// Mutation testing of the pure rules (`npm run test:mutation`; docs/testing.md, "Mutation testing").
// Not part of `npm test`: static mutants run the whole unit project each, so a full run takes hours on two
// cores; mutate a few files at a time, with --ignoreStatic (docs/testing.md, "Mutation testing").
import jestConfig from './jest.config.js';

/** The unit project of jest.config.js alone (the rules' specs, no database), rooted where Stryker runs it: its sandbox. */
const unitProject = { ...jestConfig.projects.find((project) => project.displayName === 'unit') };
delete unitProject.displayName;
delete unitProject.rootDir;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  jest: { projectType: 'custom', config: unitProject, enableFindRelatedTests: true },
  mutate: [
    'libs/registry/src/uscc/uscc.ts',
    'libs/registry/src/licence/licence-state-machine.ts',
    'libs/registry/src/lists/public-list.ts',
    'libs/tuition/src/settlement/settlement-period.ts',
    'libs/core/src/calendar/working-day-calendar.ts',
    'libs/core/src/calendar/shanghai-time.ts',
    'libs/oversight/src/reduction/reduction-rate.ts',
    'libs/oversight/src/risk/rules/*.rule.ts',
    'libs/core/src/privacy/mask.ts',
  ],
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  concurrency: 2,
  timeoutMS: 10000,
  thresholds: { high: 90, low: 85, break: null },
};
