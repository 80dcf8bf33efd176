import { expectExactly } from '@app/core/state/transition-table.testing';
import { REPORT_STATUSES, REPORT_TRANSITIONS } from './report-transitions';

describe('REPORT_TRANSITIONS', () => {
  it('lets exactly these actors take exactly these steps', () => {
    expectExactly(REPORT_TRANSITIONS, [...REPORT_STATUSES, 'absent'], [
      ['file', 'absent', 'institution', 'filed'],
      ['file', 'filed', 'institution', 'filed'],
      ['file', 'returned', 'institution', 'filed'],
      ['file', 'overdue', 'institution', 'filed'],
      ['accept', 'filed', 'regulator', 'accepted'],
      ['return', 'filed', 'regulator', 'returned'],
      ['mark_overdue', 'absent', 'system', 'overdue'],
    ]);
  });
});
