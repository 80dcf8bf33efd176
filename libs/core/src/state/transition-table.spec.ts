import { TransitionTable, checkTransition, transitionOrThrow } from './transition-table';

type Door = 'closed' | 'open' | 'locked';
const sut: TransitionTable<Door, 'open' | 'close' | 'lock'> = {
  open: { from: ['closed'], to: 'open', by: ['parent', 'institution'] },
  close: { from: ['open'], to: 'closed', by: ['parent'] },
  lock: { from: ['closed'], to: 'locked', by: ['system'] },
};

describe('checkTransition', () => {
  it('answers the next state for a listed state and actor', () => {
    expect(checkTransition(sut, 'open', 'closed', 'institution')).toEqual({ ok: true, to: 'open' });
  });

  it('refuses an unlisted state, naming the states it is allowed from', () => {
    expect(checkTransition(sut, 'open', 'locked', 'parent')).toEqual({ ok: false, reason: 'state', allowedFrom: ['closed'] });
  });

  it('refuses an unlisted actor before it looks at the state', () => {
    expect(checkTransition(sut, 'lock', 'open', 'parent')).toEqual({ ok: false, reason: 'actor', allowedFrom: ['closed'] });
  });
});

describe('transitionOrThrow', () => {
  const refusal = { code: 'DOOR.INVALID_STATE', subject: 'the door' };

  it('answers the next state', () => {
    expect(transitionOrThrow(sut, 'close', 'open', 'parent', refusal)).toBe('closed');
  });

  it('throws 409 with the code and the current state when the state does not allow the action', () => {
    expect(() => transitionOrThrow(sut, 'close', 'locked', 'parent', refusal)).toThrow(
      expect.objectContaining({ status: 409, code: 'DOOR.INVALID_STATE', extras: { currentStatus: 'locked', action: 'close' } }),
    );
  });

  it('throws 403 when the actor may never take the action', () => {
    expect(() => transitionOrThrow(sut, 'lock', 'closed', 'regulator', refusal)).toThrow(expect.objectContaining({ status: 403, code: 'AUTH.FORBIDDEN' }));
  });
});
