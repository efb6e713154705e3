/**
 * The guided terminal (`loanmail new`, and `loanmail` alone on a terminal), driven through a real pseudo-terminal
 * (tmux, test/cli/pty.ts): from a fresh home to a composed letter, wrong answers corrected on the spot; Ctrl-C
 * changes nothing; without a terminal nothing is asked.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { json, rowCounts, run, setupHome, tempDir, writePdf } from "./helpers.js";
import { Terminal } from "./pty.js";

const term = new Terminal("wizard");
afterEach(() => term.kill());

interface Shown {
  case: { kind: string; status: string; formal: boolean; channel: string };
  loan: { accountNumber: string; borrowers: string[]; propertyAddress: string; servicerName: string };
  messages: {
    letterInput: { fields: Record<string, string>; summary: string };
    exhibits: { fileName: string }[];
    postalAddress: string | null;
    bodyText: string;
  }[];
}

/**
 * The line the summary must show for clock `name`: its rule and due date as `loanmail deadline KIND --received D`
 * computes them, D being the day the summary says ("if the servicer receives it on D", today in the user's zone).
 */
function sameDueAsDeadline(home: string, review: string, kind: string, name: string): RegExp {
  const day = /if the servicer receives it on (\d{4}-\d{2}-\d{2})/.exec(review)?.[1] ?? "no day shown";
  const planned = json<{ clocks: { name: string; rule: string; dueStrict: string }[] }>(
    run(["--home", home, "deadline", kind, "--received", day, "--json"]),
  );
  const clock = planned.clocks.find((c) => c.name === name);
  if (!clock) throw new Error(`deadline ${kind} has no clock "${name}"`);
  const escaped = `${clock.name} [${clock.rule}]: due ${clock.dueStrict}`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(escaped);
}

describe("the guided terminal", () => {
  it("from a fresh home: adds a servicer and a loan, asks again for a wrong date, amount and SSN, attaches a file, writes the letter", async () => {
    const home = join(tempDir(), "home");
    const init = run([
      "--home",
      home,
      "init",
      "--name",
      "Ann Lee",
      "--email",
      "ann@example.test",
      "--address",
      "1 Main St\\nTown, ST 00001",
      "--timezone",
      "America/Chicago",
    ]);
    expect(init.code).toBe(0);
    const statement = writePdf(join(tempDir(), "november-statement.pdf"));
    // No command: on a terminal, `loanmail` is the wizard. Month-first dates (en-US).
    term.start(["--home", home], { LC_ALL: "en_US.UTF-8" });
    await term.shows("No loan is recorded yet");
    await term.answer("The servicer's name", "Mr. Cooper");
    await term.answer("customer-service email address", "help@mrcooper");
    await term.shows('"help@mrcooper" is not an email address');
    term.retype("help@mrcooper.example");
    await term.answer("The domain its replies come from", ""); // the default: the email's domain
    await term.answer("notices of error and requests for information", "Mr. Cooper");
    await term.answer("line 2 (an empty line when done)", "PO Box 619098");
    await term.answer("line 3 (an empty line when done)", "Dallas, TX 75261");
    await term.answer("line 4 (an empty line when done)", "");
    await term.answer("The loan's account number", "12");
    await term.shows('"12" is not a loan account number');
    term.retype("7654321");
    await term.answer("The property's address, line 1:", "1 Main St");
    await term.answer("line 2 (an empty line when done)", "Town, ST 00001");
    await term.answer("line 3 (an empty line when done)", "");
    await term.answer("The borrowers' names", ""); // the default: the user's name
    // What happened: each situation shows its kind's purpose; typing its first words selects it.
    const menu = await term.shows("What happened?");
    expect(menu).toContain(
      "I was charged a late fee on a payment made on time — reversal of a fee on a timely payment",
    );
    expect(menu).toContain("I need my payoff amount — payoff amount good through a date");
    await term.answer("I was charged a late fee", "I was charged a late fee");
    await term.answer("Date the payment was made (MM/DD/YYYY or YYYY-MM-DD)", "31/02/2026");
    await term.shows('"31/02/2026" is not a day of the calendar (read as MM/DD/YYYY)');
    term.retype("11/02/2026"); // month first: November 2, 2026
    await term.answer("Payment amount (dollars", "12..5");
    await term.shows('"12..5" is not an amount in dollars');
    term.retype("$1,500");
    await term.answer("Late fee charged", "35");
    await term.answer("Date the fee was assessed", "");
    await term.answer("Last day a payment was on time", "");
    await term.answer(
      "One paragraph",
      "My November 2 payment was on time, yet I was charged a late fee. SSN 123-45-6789.",
    );
    await term.shows("looks like a Social Security number");
    term.retype("My November 2 payment was on time, yet I was charged a late fee.");
    await term.answer("A file to attach as an exhibit", join(tempDir(), "missing.pdf"));
    await term.shows("no such file");
    await term.answer("A file to attach as an exhibit", statement);
    await term.answer("Another file to attach", "");
    // The final summary: subject, channel, exhibits, what it starts (1024.35(d): 5 business days; (e)(3)(i)(C): 30).
    const review = await term.shows("Write this letter now?");
    expect(review).toMatch(/Subject: +Account Number 7654321 – Late Fee Dispute \[LM-[A-Z0-9]{4}-1\]/);
    expect(review).toContain(
      "a formal notice, by post (certified mail) to Mr. Cooper, PO Box 619098, Dallas, TX 75261",
    );
    expect(review).toContain("Adds:     servicer Mr. Cooper, loan 7654321 at Mr. Cooper");
    expect(review).toContain("Exhibits: Exhibit A – november-statement.pdf");
    expect(review).toMatch(sameDueAsDeadline(home, review, "late-fee-dispute", "Notice of error: acknowledgment"));
    expect(review).toMatch(sameDueAsDeadline(home, review, "late-fee-dispute", "Notice of error: response"));
    term.type("y");
    const done = await term.shows("EXIT=");
    expect(done).toContain("EXIT=0");

    const L = (...args: string[]) => run(["--home", home, ...args]);
    const cases = json<{ cases: { id: number; kind: string; status: string; servicerName: string }[] }>(
      L("cases", "--json"),
    ).cases;
    expect(cases).toEqual([expect.objectContaining({ id: 1, kind: "late-fee-dispute", status: "draft" })]);
    const shown = json<Shown>(L("show", "1", "--json"));
    expect(shown.case).toMatchObject({ kind: "late-fee-dispute", formal: true, channel: "post" });
    expect(shown.loan).toMatchObject({
      accountNumber: "7654321",
      borrowers: ["Ann Lee"],
      propertyAddress: "1 Main St\nTown, ST 00001",
      servicerName: "Mr. Cooper",
    });
    const letter = shown.messages[0];
    expect(letter?.letterInput.fields).toEqual({ "payment-date": "2026-11-02", amount: "1500.00", fee: "35.00" });
    expect(letter?.letterInput.summary).toBe("My November 2 payment was on time, yet I was charged a late fee.");
    expect(letter?.exhibits.map((e) => e.fileName)).toEqual(["Exhibit A – november-statement.pdf"]);
    expect(letter?.bodyText).toContain(
      "You charged this loan a late fee of $35.00 for my payment of $1,500.00, made on November 2, 2026.",
    );
    expect(letter?.bodyText).not.toContain("6789");
    const servicers = json<{ servicers: { name: string; domains: string[]; noticeAddress: string }[] }>(
      L("servicer", "list", "--json"),
    ).servicers;
    expect(servicers).toEqual([
      expect.objectContaining({
        name: "Mr. Cooper",
        domains: ["mrcooper.example"],
        noticeAddress: "Mr. Cooper\nPO Box 619098\nDallas, TX 75261",
      }),
    ]);
  });

  it("Ctrl-C at the last question writes nothing and exits 130", async () => {
    const { home } = setupHome();
    const before = rowCounts(home);
    term.start(["--home", home, "new"], { LC_ALL: "en_US.UTF-8" });
    await term.answer("Which loan is this letter about?", ""); // the first: loan 1
    await term.answer("What happened?", "I need my payoff");
    await term.answer("Date the payoff figure must be good through", "12/31/2026");
    await term.answer("none, or what may delay the statement", ""); // none
    await term.answer("One paragraph", "We are selling the house and closing at the end of the month.");
    await term.answer("A file to attach as an exhibit", "");
    const review = await term.shows("Write this letter now?");
    expect(review).toContain("by email to payoff@servicer.test");
    // 12 C.F.R. 1026.36(c)(3): 7 business days from receipt; the same day `deadline` gives for that receipt.
    expect(review).toMatch(sameDueAsDeadline(home, review, "payoff-statement", "Payoff statement"));
    term.keys("C-c");
    const screen = await term.shows("EXIT=");
    expect(screen).toContain("stopped at the prompt; nothing was changed");
    expect(screen).toContain("EXIT=130");
    expect(rowCounts(home)).toEqual(before);
  });

  it("Ctrl-C at a field's prompt writes nothing either, though a servicer was typed in", async () => {
    const { home } = setupHome();
    const before = rowCounts(home);
    term.start(["--home", home, "new"]);
    await term.shows("Which loan is this letter about?");
    term.keys("Down"); // "A new loan: add it"
    term.type("");
    await term.shows("Which servicer is the loan with?");
    term.keys("Down"); // "A new servicer: add it"
    term.type("");
    await term.answer("The servicer's name", "Rocket Mortgage");
    await term.shows("customer-service email address");
    term.keys("C-c");
    expect(await term.shows("EXIT=")).toContain("EXIT=130");
    expect(rowCounts(home)).toEqual(before);
  });
});

describe("without a terminal", () => {
  it("loanmail new refuses and names compose; loanmail alone prints the help; nothing is asked or written", () => {
    const { home, L } = setupHome();
    const before = rowCounts(home);
    const refused = L("new");
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).toContain("loanmail new asks its questions on a terminal");
    expect(refused.stderr).toContain("loanmail compose KIND --loan N");
    const asJson = L("new", "--json");
    expect(asJson.code).toBe(2);
    expect(JSON.parse(asJson.stderr).error.code).toBe("NEEDS_TERMINAL");
    // A script that runs `loanmail` alone gets the help as before (commander's missing-command usage exit).
    const bare = L();
    expect(bare.stdout + bare.stderr).toContain("Usage: loanmail [options] [command]");
    expect(bare.stdout + bare.stderr).toMatch(/new \[options\] +write a letter step by step/);
    expect(rowCounts(home)).toEqual(before);
  });
});
