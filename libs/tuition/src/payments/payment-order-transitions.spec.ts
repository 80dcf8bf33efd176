import { expectExactly } from '@app/core/state/transition-table.testing';
import { PAYMENT_ORDER_STATUSES, PAYMENT_ORDER_TRANSITIONS } from './payment-order-transitions';

describe('PAYMENT_ORDER_TRANSITIONS', () => {
  it('lets only the bank turn an open or expired order into money, and only the platform expire an open one', () => {
    expectExactly(PAYMENT_ORDER_TRANSITIONS, PAYMENT_ORDER_STATUSES, [
      ['receive', 'pending', 'bank', 'confirmed'],
      ['receive', 'expired', 'bank', 'confirmed'],
      ['receive_and_return', 'pending', 'bank', 'refunded'],
      ['receive_and_return', 'expired', 'bank', 'refunded'],
      ['expire', 'pending', 'system', 'expired'],
    ]);
  });
});
