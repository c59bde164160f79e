import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import type { Env } from "./config";

/** The process as the CLI sees it: injected so rendering and commands can be tested without one. */
export type Io = {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Env;
};

export const processIo = (): Io => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});

/** One line from stdin after a prompt on stderr (stdout stays clean for --json). */
export async function readLine(io: Io, prompt: string): Promise<string | null> {
  io.stderr.write(prompt);
  const rl = createInterface({ input: io.stdin, terminal: false });
  try {
    for await (const line of rl) return line;
    return null;
  } finally {
    rl.close();
  }
}

/** A line typed on the terminal without echoing it (a token). */
export async function readSecret(io: Io, prompt: string): Promise<string | null> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) io.stderr.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: io.stdin, output, terminal: true });
  return new Promise((resolve) => {
    rl.once("close", () => resolve(null));
    rl.question(prompt, (answer) => {
      io.stderr.write("\n");
      resolve(answer);
      rl.close();
    });
    muted = true;
  });
}
