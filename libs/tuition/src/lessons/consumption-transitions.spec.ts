import { expectExactly } from '@app/core/state/transition-table.testing';
import { CONSUMPTION_STATUSES, CONSUMPTION_TRANSITIONS } from './consumption-transitions';

describe('CONSUMPTION_TRANSITIONS', () => {
  it('lets exactly these actors take exactly these steps', () => {
    expectExactly(CONSUMPTION_TRANSITIONS, CONSUMPTION_STATUSES, [
      ['confirm', 'pending', 'parent', 'confirmed'],
      ['dispute', 'pending', 'parent', 'disputed'],
      ['resolve_confirm', 'disputed', 'regulator', 'confirmed'],
      ['resolve_void', 'disputed', 'regulator', 'voided'],
      ['auto_confirm', 'pending', 'system', 'confirmed'],
      ['void_for_refund', 'pending', 'system', 'voided'],
      ['void_for_refund', 'disputed', 'system', 'voided'],
    ]);
  });
});
