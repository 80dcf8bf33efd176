import IORedis from 'ioredis';
import { JOB_SCHEDULES, QueueFactory } from '@app/jobs';
import { eventually } from '../support/eventually';
import { TestPlatform, startPlatform } from '../support/platform';
import { TEST_REDIS_URL } from '../support/test-database';

describe('job schedulers', () => {
  let platform: TestPlatform;
  let redis: IORedis;

  beforeAll(async () => {
    platform = await startPlatform();
    redis = new IORedis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    redis?.disconnect();
    await platform?.close();
  });

  const registered = async (queues: QueueFactory) => {
    const found = await Promise.all(JOB_SCHEDULES.map((schedule) => queues.queue(schedule.queue).getJobScheduler(schedule.id)));
    return found.filter(Boolean).map((scheduler) => scheduler!.key);
  };

  it('puts back the schedulers the queue backend lost (Redis restarted empty), within the check interval', async () => {
    const worker = await platform.startWorker({ ENABLE_SCHEDULERS: 'true', SCHEDULER_CHECK_SECONDS: '1' });
    const queues = worker.get(QueueFactory);
    expect((await registered(queues)).sort()).toEqual(JOB_SCHEDULES.map((schedule) => schedule.id).sort());

    // Only this test's own keys (its QUEUE_PREFIX): every scheduler and its next job, as an empty Redis would have them.
    const prefix = platform.environment.QUEUE_PREFIX;
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    expect(await registered(queues)).toEqual([]);

    await eventually(async () => {
      expect((await registered(queues)).sort()).toEqual(JOB_SCHEDULES.map((schedule) => schedule.id).sort());
    }, 60_000);
  });
});
