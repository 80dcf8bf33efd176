import autocannon from 'autocannon';

/**
 * The load generator, run as a child process of run.ts so that autocannon's event loop does not share
 * a thread with the API it measures. It takes one job at a time over IPC and answers with the result.
 */
export interface LoadJob {
  id: number;
  url: string;
  /** Paths to request; each request picks one at random. */
  paths: string[];
  connections: number;
  durationSeconds: number;
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
  const pickPath = () => job.paths[Math.floor(Math.random() * job.paths.length)];
  const result = await autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationSeconds,
    timeout: 10,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: pickPath() }) }],
  });
  return {
    id: job.id,
    requestsPerSecond: round(result.requests.average),
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
