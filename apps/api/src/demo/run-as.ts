import { Principal, RequestContext } from '@app/core';

/** Runs a step of the demo as this user, so history and audit name who did it. */
export function runAs<T>(principal: Principal, work: () => Promise<T>): Promise<T> {
  return RequestContext.run('demo-data', () => {
    RequestContext.setPrincipal(principal);
    return work();
  });
}
