/**
 * A counselor's caseload for CLI tests: two households at the same servicer, each with a loan, a signed
 * authorization, a notice of error printed and mailed, and a paper acknowledgment.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunResult, run, tempDir, writePdf } from "./helpers.js";

export const NGUYEN = "Nguyen household";
export const JOHNSON = "Johnson household";

export function must(r: RunResult, what: string): RunResult {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr}`);
  return r;
}

export /** A counselor's home with two households, each with a case whose notice was printed and mailed, and a reply. */
function setupCaseload(): { home: string; work: string; L: (...args: string[]) => RunResult } {
  const work = tempDir("loanmail-retention-");
  const home = join(work, "home");
  const L = (...args: string[]) => run(["--home", home, ...args], { cwd: work });
  must(
    L(
      "init",
      ...["--name", "Pat Counselor", "--email", "pat@agency.test", "--address", "1 Main St\\nTown, IL 62701"],
      ...["--phone", "555-000-1111", "--timezone", "America/Chicago"],
    ),
    "init",
  );
  must(
    L(
      "servicer",
      "add",
      "Mr. Cooper",
      ...["--domain", "servicer.test", "--email", "help@servicer.test"],
      ...["--notice-address", "Mr. Cooper\\nPO Box 619098\\nDallas, TX 75261"],
    ),
    "servicer add",
  );
  const households = [
    { client: NGUYEN, account: "55501234", property: "1 Oak St, Town, IL 62701", borrower: "An Nguyen" },
    { client: JOHNSON, account: "77709876", property: "2 Elm St, Town, IL 62701", borrower: "Bo Johnson" },
  ];
  for (const [i, h] of households.entries()) {
    const loan = String(i + 1);
    must(
      L(
        "loan",
        "add",
        ...["--client", h.client, "--servicer", "Mr. Cooper", "--account", h.account],
        ...["--property", h.property, "--borrower", h.borrower],
      ),
      "loan add",
    );
    const form = writePdf(join(work, `authorization-${loan}.pdf`));
    writeFileSync(form, `${readFileSync(form, "latin1")}% signed by ${h.borrower}\n`);
    must(
      L(
        "authorization",
        "add",
        "--loan",
        loan,
        "--file",
        form,
        "--authorized",
        "Pat Counselor",
        "--signed-on",
        "2026-09-01",
      ),
      "authorization add",
    );
    // Written 2026-10-01, mailed 10-02, delivered 10-05; the acknowledgment came by post on 10-09.
    must(
      L(
        "compose",
        "notice-of-error",
        ...["--loan", loan, "--dated", "2026-10-01", "--set", `error=the payment of ${h.borrower} sits in suspense`],
        ...["--summary", `${h.borrower} paid on time.`],
      ),
      "compose",
    );
    must(L("show", loan, "--pdf", join(work, `notice-${loan}.pdf`)), "show --pdf");
    must(
      L(
        "mailed",
        loan,
        "--tracking",
        `940711189922334455667${loan}`,
        "--date",
        "2026-10-02",
        "--delivered",
        "2026-10-05",
      ),
      "mailed",
    );
    const scan = writePdf(join(work, `ack-${loan}.pdf`));
    writeFileSync(scan, `${readFileSync(scan, "latin1")}% acknowledgment for ${h.account}\n`);
    must(
      L("received", loan, "--date", "2026-10-09", "--file", scan, "--via", "post", "--class", "acknowledgment"),
      "received",
    );
  }
  return { home, work, L };
}
