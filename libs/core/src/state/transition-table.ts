import type { Role } from '../auth/principal';
import { conflict, DomainError } from '../errors/domain-error';

/** Who moves a state machine: a role acting through the API, or the platform's own jobs. */
export type Actor = Role | 'system';

/** One action of a state machine: allowed from exactly these states, by exactly these actors. */
export interface Transition<S extends string> {
  from: readonly S[];
  to: S;
  by: readonly Actor[];
}

export type TransitionTable<S extends string, A extends string> = Record<A, Transition<S>>;

export type TransitionCheck<S extends string> = { ok: true; to: S } | { ok: false; reason: 'state' | 'actor'; allowedFrom: readonly S[] };

/**
 * Whether `actor` may take `action` from `from` in `table`. Every aggregate with a life cycle (licence,
 * consumption, refund request, report, complaint…) keeps its rules as such a table beside a unit test
 * that walks every (state, action, actor); services ask the table instead of comparing states inline.
 */
export function checkTransition<S extends string, A extends string>(table: TransitionTable<S, A>, action: A, from: S, actor: Actor): TransitionCheck<S> {
  const transition = table[action];
  if (!transition.by.includes(actor)) return { ok: false, reason: 'actor', allowedFrom: transition.from };
  if (!transition.from.includes(from)) return { ok: false, reason: 'state', allowedFrom: transition.from };
  return { ok: true, to: transition.to };
}

/**
 * The state an action leads to, or the refusal as a DomainError: 409 `code` naming the current state
 * (the caller may retry after reading it), or 403 when the actor may never take the action.
 */
export function transitionOrThrow<S extends string, A extends string>(
  table: TransitionTable<S, A>,
  action: A,
  from: S,
  actor: Actor,
  refusal: { code: string; subject: string },
): S {
  const check = checkTransition(table, action, from, actor);
  if (check.ok) return check.to;
  if (check.reason === 'actor') throw new DomainError(403, 'AUTH.FORBIDDEN', `A ${actor} cannot ${action.replace(/_/g, ' ')} ${refusal.subject}.`);
  throw conflict(refusal.code, `Cannot ${action.replace(/_/g, ' ')} ${refusal.subject} that is ${from} (allowed from ${check.allowedFrom.join(', ')}).`, {
    currentStatus: from,
    action,
  });
}
