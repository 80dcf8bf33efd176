import { expectExactly } from '@app/core/state/transition-table.testing';
import { PAYOUT_STATUSES, PAYOUT_TRANSITIONS } from './payout-instruction-transitions';

describe('PAYOUT_TRANSITIONS', () => {
  it('lets the bank execute only a pending payout, and the platform cancel a pending or held one', () => {
    expectExactly(PAYOUT_TRANSITIONS, PAYOUT_STATUSES, [
      ['execute', 'pending', 'bank', 'executed'],
      ['cancel', 'pending', 'system', 'cancelled'],
      ['cancel', 'held', 'system', 'cancelled'],
    ]);
  });
});
