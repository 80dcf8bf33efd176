import { Actor, TransitionTable, checkTransition } from './transition-table';

export const ALL_ACTORS: readonly Actor[] = ['admin', 'regulator', 'institution', 'parent', 'bank', 'system'];

/**
 * For unit tests of a state machine: every (state, action, actor) is allowed exactly when `allowed`
 * (the rules as the test writes them, apart from the table) lists it, and leads where it says.
 */
export function expectExactly<S extends string, A extends string>(
  table: TransitionTable<S, A>,
  states: readonly S[],
  allowed: ReadonlyArray<readonly [action: A, from: S, actor: Actor, to: S]>,
): void {
  for (const action of Object.keys(table) as A[]) {
    for (const from of states) {
      for (const actor of ALL_ACTORS) {
        const rule = allowed.find(([a, f, who]) => a === action && f === from && who === actor);
        expect({ action, from, actor, outcome: checkTransition(table, action, from, actor) }).toEqual({
          action,
          from,
          actor,
          outcome: rule ? { ok: true, to: rule[3] } : expect.objectContaining({ ok: false }),
        });
      }
    }
  }
}
