import { reductionRates } from './reduction-rate';

/** Each series a report prints: its label and its own figures, not a neighbour's. */
describe('reductionRates, series by series', () => {
  const rates = reductionRates({ subjectOffline: 40, subjectOnline: 10, students: 2_000 }, { subjectOffline: 20, subjectOnline: 9, students: 1_500 });

  it('labels each series as the report prints it', () => {
    expect(Object.fromEntries(Object.entries(rates).map(([series, rate]) => [series, rate.label]))).toEqual({
      subjectInstitutions: 'subject institutions',
      subjectOffline: 'subject institutions offline',
      subjectOnline: 'subject institutions online',
      students: 'pupils in off-campus training',
    });
  });

  it('takes each series from its own figures', () => {
    expect(rates.subjectInstitutions).toMatchObject({ baseline: 50, current: 29, rate: -0.42, display: '50 → 29 (−42.0%)' });
    expect(rates.subjectOffline).toMatchObject({ baseline: 40, current: 20, rate: -0.5 });
    expect(rates.subjectOnline).toMatchObject({ baseline: 10, current: 9, rate: -0.1 });
    expect(rates.students).toMatchObject({ baseline: 2_000, current: 1_500, rate: -0.25, display: '2,000 → 1,500 (−25.0%)' });
  });
});
