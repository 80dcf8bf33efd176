export * from './event-routes';
export * from './job-handler';
export * from './jobs.module';
export * from './queue-factory';
export * from './queues';
