import autocannon from 'autocannon';

/**
 * The load generator, run as a child process of a bench so that autocannon's event loop does not share
 * a thread with the API it measures. It takes one job at a time over IPC and answers with the result.
 */
export interface LoadJob {
  id: number;
  url: string;
  /** GET requests for these paths, each request picking one at random, for `durationSeconds`. */
  paths?: string[];
  /** Or each of these requests once, in order, spread over the connections: the job ends when all have answered. */
  sequence?: SequencedRequest[];
  connections: number;
  durationSeconds: number;
}

export interface SequencedRequest {
  method: 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadResult {
  id: number;
  requestsPerSecond: number;
  requests: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
}

async function run(job: LoadJob): Promise<LoadResult> {
  const sequence = job.sequence;
  let next = 0;
  const pickPath = () => job.paths![Math.floor(Math.random() * job.paths!.length)];
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    timeout: 10,
    ...(sequence
      ? { amount: sequence.length, requests: [{ setupRequest: (request) => ({ ...request, ...sequence[next++ % sequence.length] }) }] }
      : { duration: job.durationSeconds, requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: pickPath() }) }] }),
  });
  return {
    id: job.id,
    // With a sequence, autocannon's per-second average undercounts the last, partial second: count over the elapsed time.
    requestsPerSecond: sequence ? round(result.requests.total / result.duration) : round(result.requests.average),
    requests: result.requests.total,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.mean) },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stats]) => [code, stats.count])),
    durationSeconds: result.duration,
  };
}

const round = (value: number) => Math.round(value * 100) / 100;

process.on('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!(result),
    (error: Error) => process.send!({ id: job.id, error: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
