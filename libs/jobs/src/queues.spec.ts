import { enqueuedJobId, jobRequest } from './queues';

describe('enqueuedJobId', () => {
  const evaluate = jobRequest('risk', 'evaluate', { institutionId: 'i-1', reason: 'complaint.filed' }, 'risk-i-1', 2000);

  it('gives requests within one debounce window one job', () => {
    expect(enqueuedJobId(evaluate, 10_000)).toBe(enqueuedJobId(evaluate, 11_999));
  });

  it('gives a request in a later window a job of its own, so a running evaluation never absorbs it', () => {
    expect(enqueuedJobId(evaluate, 12_000)).not.toBe(enqueuedJobId(evaluate, 11_999));
  });

  it('keeps the id of a job that is not debounced (an outbox event id): a replay enqueues nothing new', () => {
    const notify = jobRequest('notifications', 'notify', { id: 'e-1', type: 'account.created', payload: { userId: 'u-1', role: 'parent' } }, 'e-1');
    expect(enqueuedJobId(notify, 10_000)).toBe('e-1');
    expect(enqueuedJobId(notify, 99_999)).toBe('e-1');
  });
});
