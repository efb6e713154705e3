/**
 * `loanmail doctor [--login] [--timeout S]`: checks the home, config, database, mail accounts and the PDF
 * renderer (src/app/doctor.ts) and prints one line per check, ok / warn / FAIL with what to do. Exit 0 when
 * nothing failed (warnings included), 1 when something did. It opens nothing for writing and, unlike every other
 * command, runs on a home that is not private, to say so.
 */
import type { DoctorCheck } from "../../app/doctor.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { sanitizeForTerminal } from "../output.js";
import { checkPositiveInt } from "../validate.js";

const LABEL = { ok: "ok", warn: "warn", fail: "FAIL" } as const;

function checkLine(ctx: Context, c: DoctorCheck): string {
  const c2 = ctx.out.c;
  const paint = c.status === "fail" ? c2.red : c.status === "warn" ? c2.yellow : c2.green;
  const text = sanitizeForTerminal(`${c.check}: ${c.detail}${c.fix ? `; fix: ${c.fix}` : ""}`);
  return `${paint(LABEL[c.status].padEnd(4))}  ${text}`;
}

async function runDoctorCommand(ctx: Context, opts: { login?: boolean; timeout?: string }): Promise<number> {
  const seconds = opts.timeout === undefined ? 5 : checkPositiveInt(opts.timeout, "--timeout", 120);
  const { runDoctor } = await import("../../app/doctor.js");
  const checks = await runDoctor({
    home: ctx.home,
    env: ctx.env,
    now: ctx.now,
    login: opts.login === true,
    timeoutMs: seconds * 1000,
  });
  const failed = checks.filter((c) => c.status === "fail").length;
  const warned = checks.filter((c) => c.status === "warn").length;
  ctx.out.result(
    { ok: failed === 0, home: ctx.home.dir, checks },
    () =>
      [
        ...checks.map((c) => checkLine(ctx, c)),
        failed > 0
          ? `${failed} failed${warned > 0 ? `, ${warned} to look at` : ""}: fix what FAIL says, then run loanmail doctor again.`
          : warned > 0
            ? `Nothing failed; ${warned} to look at.`
            : "Everything checked is in order.",
      ].join("\n"),
    { styled: true },
  );
  return failed > 0 ? 1 : 0;
}

export const doctorCommands: CommandModule = {
  commands: [
    {
      name: "doctor",
      description:
        "check the home (owner, modes), config, database (schema, integrity, hash chains), mail accounts (TLS) and the PDF renderer",
      options: [
        { flags: "--login", description: "also log in to each mail account (runs its password command)" },
        { flags: "--timeout <seconds>", description: "how long each mail server may take to answer (default 5)" },
      ],
      usesHome: false,
      run: runDoctorCommand,
    },
  ],
};
