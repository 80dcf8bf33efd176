import { expectExactly } from '@app/core/state/transition-table.testing';
import { REFUND_REQUEST_STATUSES, REFUND_REQUEST_TRANSITIONS } from './refund-request-transitions';

describe('REFUND_REQUEST_TRANSITIONS', () => {
  it('lets exactly these actors take exactly these steps', () => {
    expectExactly(REFUND_REQUEST_TRANSITIONS, REFUND_REQUEST_STATUSES, [
      ['accept', 'requested', 'institution', 'accepted'],
      ['reject', 'requested', 'institution', 'rejected'],
      ['deem_accepted', 'requested', 'system', 'accepted'],
      ['accept_automatically', 'requested', 'system', 'accepted'],
      ['accept_by_order', 'requested', 'regulator', 'accepted'],
      ['supersede', 'requested', 'system', 'rejected'],
    ]);
  });
});
