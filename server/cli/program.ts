import { Command, CommanderError } from "commander";
import { auditIntegrityCommands } from "./commands/audit";
import { auditCommands, operationCommands, tokenCommands } from "./commands/misc";
import { diskCommands, networkCommands } from "./commands/devices";
import { sessionCommands } from "./commands/session";
import { vmCommands } from "./commands/vm";
import { Ctx } from "./context";
import { CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from "./errors";
import type { Io } from "./io";

/**
 * `realmgate`: the REST surface (/api/v1) from a terminal or a script. Exit codes: 0 done,
 * 1 the API refused or the operation failed, 2 the command line is wrong.
 */

const EXAMPLES = `
Examples:
  realmgate login --url https://realmgate.example.com        # asks for the token
  realmgate vm ls
  realmgate vm create web-1 --template small --wait
  realmgate vm stop web-1 --hard --wait
  realmgate op wait 0b6c1e9a-5b0e-4a53-9b8e-6c1d2f3a4b5c
  REALMGATE_TOKEN=rgt_… realmgate vm ls --json | jq '.items[].name'
  realmgate audit export --format csv --action vm -o trail.csv
  realmgate audit verify --file trail.csv --public-key <base64>   # offline, no server

Environment:
  REALMGATE_TOKEN   the API token (takes precedence over the saved one)
  REALMGATE_URL     the server (takes precedence over the saved one; default http://localhost:3000)

Exit codes: 0 done, 1 the API refused or the operation failed, 2 usage error.`;

export function buildProgram(ctx: Ctx): Command {
  const program = new Command("realmgate")
    .description("Realmgate's command line: VMs, disks, networks, operations and the audit trail of your realm")
    .version("1.0.0", "-V, --version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
    })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", EXAMPLES);
  sessionCommands(program, ctx);
  vmCommands(program, ctx);
  diskCommands(program, ctx);
  networkCommands(program, ctx);
  operationCommands(program, ctx);
  auditCommands(program, ctx);
  auditIntegrityCommands(program.commands.find((c) => c.name() === "audit")!, ctx);
  tokenCommands(program, ctx);
  return program;
}

/** Runs one command line (without "node realmgate") and answers the exit code. */
export async function run(argv: string[], io: Io): Promise<number> {
  const ctx = new Ctx(io);
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, help <command> and --version end with 0; everything else commander stops on is a usage error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof CliError) {
      io.stderr.write(`realmgate: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(
      `realmgate: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_FAILED;
  }
}
