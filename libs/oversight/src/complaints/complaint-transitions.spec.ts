import { expectExactly } from '@app/core/state/transition-table.testing';
import { COMPLAINT_STATUSES, COMPLAINT_TRANSITIONS } from './complaint-transitions';

describe('COMPLAINT_TRANSITIONS', () => {
  it('lets exactly these actors take exactly these steps', () => {
    expectExactly(COMPLAINT_TRANSITIONS, COMPLAINT_STATUSES, [
      ['in_progress', 'open', 'regulator', 'in_progress'],
      ['verified', 'open', 'regulator', 'verified'],
      ['verified', 'in_progress', 'regulator', 'verified'],
      ['resolved', 'in_progress', 'regulator', 'resolved'],
      ['resolved', 'verified', 'regulator', 'resolved'],
      ['dismissed', 'in_progress', 'regulator', 'dismissed'],
      ['dismissed', 'verified', 'regulator', 'dismissed'],
    ]);
  });
});
