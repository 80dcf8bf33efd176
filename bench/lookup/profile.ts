import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/** A node of a V8 CPU profile (the parts read here). */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  hitCount?: number;
}

/**
 * Where the API's thread spends its time, by the layer a request passes through: each sampled
 * function's self time is charged to the package (or our own folder) its file belongs to, then those
 * are named by role (helmet's headers, the validation pipe, Nest's router, …). Idle time is left out,
 * so the shares are of the time the thread was busy.
 */
const LAYERS: [RegExp, string][] = [
  [/node_modules\/helmet\//, 'security headers (helmet)'],
  [/node_modules\/(class-validator|class-transformer|validator)\//, 'validation pipe (class-transformer, class-validator)'],
  [/node_modules\/@nestjs\/throttler\//, 'throttler guard (@nestjs/throttler)'],
  [/apps\/api\/src\/access\//, 'access guard and throttler storage (apps/api/src/access)'],
  [/node_modules\/@nestjs\/core\//, 'Nest router, guards, pipes (@nestjs/core)'],
  [/node_modules\/@nestjs\/(common|platform-fastify)\//, 'Nest common and Fastify adapter'],
  [/node_modules\/(fastify|find-my-way|fast-querystring|light-my-request|avvio|@fastify\/[a-z-]+)\//, 'Fastify (routing, hooks, reply)'],
  [/node_modules\/prom-client\//, 'metrics (prom-client)'],
  [/node_modules\/(pino|nestjs-pino|sonic-boom)/, 'logging (pino)'],
  [/node_modules\/(lru-cache|etag)\//, 'answer cache (lru-cache, etag)'],
  [/node_modules\/(rxjs|reflect-metadata)\//, 'rxjs, reflect-metadata (Nest internals)'],
  [/apps\/api\/src\/http\//, 'our hooks (apps/api/src/http: request id, context, access log)'],
  [/apps\/api\/src\//, 'our controllers and cache (apps/api/src)'],
  [/libs\//, 'domain libraries (libs)'],
  [/node_modules\//, 'other packages'],
  [/^node:|^internal\/|^$/, 'Node itself (sockets, HTTP parser, timers, GC, async hooks)'],
];
const IDLE = '(idle)';

function layerOf(node: ProfileNode): string {
  if (node.callFrame.functionName === '(garbage collector)') return 'garbage collection';
  if (node.callFrame.functionName === '(program)') return 'native code outside JavaScript (program)';
  const url = node.callFrame.url.replace(/^file:\/\//, '');
  return LAYERS.find(([pattern]) => pattern.test(url))?.[1] ?? 'other';
}

export interface LayerProfile {
  /** The .cpuprofile written (open it in Chrome DevTools). */
  file: string;
  busySamples: number;
  /** Share of the busy samples' self time per layer, largest first. */
  sharesByLayer: Record<string, number>;
}

/** Starts a V8 CPU profile of this process; the returned function stops it, writes it to `file` and answers the shares by layer. */
export async function profileLayers(file: string): Promise<() => Promise<LayerProfile>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: { nodes: ProfileNode[] } };
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
    const byLayer = new Map<string, number>();
    let busy = 0;
    for (const node of profile.nodes) {
      if (!node.hitCount || node.callFrame.functionName === IDLE) continue;
      busy += node.hitCount;
      const layer = layerOf(node);
      byLayer.set(layer, (byLayer.get(layer) ?? 0) + node.hitCount);
    }
    const sharesByLayer = Object.fromEntries(
      [...byLayer.entries()].sort((a, b) => b[1] - a[1]).map(([layer, hits]) => [layer, Math.round((hits / Math.max(1, busy)) * 1000) / 1000]),
    );
    return { file, busySamples: busy, sharesByLayer };
  };
}
