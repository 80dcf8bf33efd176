import { ChildProcess, fork } from 'node:child_process';

/** Runs a compiled script as a child process that exchanges messages with this one. */
export function child(script: string): ChildProcess {
  return fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** Sends a child one message and answers its reply (a reply with `error` rejects). */
export function ask<T>(worker: ChildProcess, message: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (answer: T & { error?: string }) => {
      worker.off('exit', onExit);
      if (answer.error) reject(new Error(answer.error));
      else resolve(answer);
    };
    const onExit = (code: number) => reject(new Error(`child exited with ${code}`));
    worker.once('message', onMessage);
    worker.once('exit', onExit);
    worker.send(message);
  });
}
