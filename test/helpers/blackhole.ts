/**
 * A loopback address whose connections time out, as behind a firewall that drops them: a listener in a child process
 * that is stopped (SIGSTOP) once its small accept queue is full, so the kernel leaves every further connection
 * attempt unanswered. Only the child this starts is signalled, by its PID.
 */
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';

export interface Blackhole {
  /** `127.0.0.1:PORT` */
  host: string;
  stop(): Promise<void>;
}

const LISTENER = "require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () { console.log(this.address().port) })";

export async function startBlackhole(): Promise<Blackhole> {
  const child = spawn(process.execPath, ['-e', LISTENER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  process.kill(child.pid!, 'SIGSTOP');
  // A backlog of 1 queues two connections: these take both places, and no one accepts them.
  const fillers: Socket[] = [];
  for (let i = 0; i < 2; i++) {
    const socket = connect(port, '127.0.0.1');
    fillers.push(socket);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  }
  return {
    host: `127.0.0.1:${port}`,
    stop: async () => {
      for (const socket of fillers) socket.destroy();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}
