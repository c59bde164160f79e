import { spawn, type ChildProcess } from "node:child_process";

/**
 * Runs child processes with prefixed output. Agents and the worker are restarted if they die
 * (as a service manager would); the web server's death stops the whole product.
 */

export type ChildSpec = {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  restart: boolean;
};

export class Supervisor {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  constructor(private readonly onFatal: (name: string, code: number | null) => void) {}

  start(spec: ChildSpec, attempt = 0): void {
    const child = spawn(spec.command, spec.args, { env: spec.env, stdio: ["ignore", "pipe", "pipe"] });
    this.children.set(spec.name, child);
    const prefix = `[${spec.name}]`;
    const pipe = (stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream) => {
      let buffered = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) out.write(line.startsWith("[") ? `${line}\n` : `${prefix} ${line}\n`);
      });
    };
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    const startedAt = Date.now();
    child.on("exit", (code, signal) => {
      this.children.delete(spec.name);
      if (this.stopping) return;
      if (!spec.restart) return this.onFatal(spec.name, code);
      const next = Date.now() - startedAt > 30_000 ? 0 : attempt + 1;
      const delay = Math.min(500 * 2 ** next, 10_000);
      console.error(`${prefix} exited (${signal ?? code}); restarting in ${delay} ms`);
      setTimeout(() => !this.stopping && this.start(spec, next), delay).unref();
    });
  }

  async stopAll(timeoutMs = 8_000): Promise<void> {
    this.stopping = true;
    const waits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
            resolve();
          }, timeoutMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    );
    await Promise.all(waits);
  }
}
