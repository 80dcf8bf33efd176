import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from '../auth/principal';

interface RequestState {
  requestId: string;
  principal?: Principal;
}

const storage = new AsyncLocalStorage<RequestState>();

/**
 * The request id and the caller, available to services without threading them through every call,
 * so the audit log and the outbox record who did what in which request.
 */
export const RequestContext = {
  run<T>(requestId: string, work: () => T): T {
    return storage.run({ requestId }, work);
  },
  setPrincipal(principal: Principal | undefined): void {
    const state = storage.getStore();
    if (state) state.principal = principal;
  },
  get requestId(): string | undefined {
    return storage.getStore()?.requestId;
  },
  get principal(): Principal | undefined {
    return storage.getStore()?.principal;
  },
};
