/**
 * The borrower's options after a servicer's violation: how long a lawsuit may be brought, and what it needs. They
 * are not deadlines anyone owes, so they are never clocks (no due item turns red for them): `due` and `show` list
 * them under "your options", each with its limit, its citation and the one line a borrower must know before
 * relying on it. Which claim lies, against whom, and for how much, is for an attorney to judge.
 *
 * - RESPA section 6 (12 U.S.C. 2605(f)): a missed Regulation X clock (1024.34 to 1024.41) may give a claim, but
 *   only for the actual damages it caused, plus statutory damages (up to $2,000) where there is a pattern or
 *   practice of noncompliance; three years from the violation (12 U.S.C. 2614). One line per case, counted from
 *   the earliest missed clock: each violation has its own three years, and the earliest is the safest to keep.
 * - TILA (15 U.S.C. 1640(a)): a payoff statement not sent within seven business days (15 U.S.C. 1639g, 12 C.F.R.
 *   1026.36(c)(3)) and a periodic payment not credited as of the day it was received (15 U.S.C. 1639f, 12 C.F.R.
 *   1026.36(c)(1)(i)); one year from the violation (15 U.S.C. 1640(e)).
 */
import { addYears } from "./borrower-deadlines.js";
import type { IsoDate } from "./calendar.js";
import type { CaseClockInput, Clock } from "./clock-types.js";

export interface LegalOption {
  id: string;
  /** What the borrower may do. */
  name: string;
  /** The limit's citation. */
  rule: string;
  /** The one line to know before relying on it (what the claim needs, whom to ask). */
  condition: string;
  /** What it rests on: the missed clocks, or the letter that asserts the violation. */
  basedOn: string[];
  startedBy: { what: string; on: IsoDate; messageId?: number };
  /** The last day to bring it, counted from the earliest possible start. */
  until: IsoDate;
  status: "open" | "passed";
}

/** A missed Reg X clock (late, or answered late) is a violation of 1024.34 to 1024.41: RESPA section 6. */
export function isRespaViolation(c: Clock): boolean {
  const regX = /^12 C\.F\.R\. 1024\.(3[4-9]|4[01])/.test(c.rule);
  return (
    c.party === "servicer" && regX && (c.status === "late" || (c.status === "met" && (c.businessDaysLate ?? 0) > 0))
  );
}

function missed(c: Clock): boolean {
  return c.status === "late" || (c.status === "met" && (c.businessDaysLate ?? 0) > 0);
}

function option(o: Omit<LegalOption, "status">, asOf: IsoDate): LegalOption {
  return { ...o, status: asOf > o.until ? "passed" : "open" };
}

function respaOption(clocks: readonly Clock[], asOf: IsoDate): LegalOption[] {
  const violations = clocks
    .filter((c) => isRespaViolation(c) && c.dueStrict)
    .sort((a, b) => (a.dueStrict ?? "").localeCompare(b.dueStrict ?? ""));
  const first = violations[0];
  if (!first?.dueStrict) return [];
  return [
    option(
      {
        id: "respa-claim",
        name: "Sue under RESPA section 6 (12 U.S.C. 2605(f))",
        rule: "12 U.S.C. 2614 (3 years from the violation)",
        condition:
          "needs actual damages the violation caused, or a pattern or practice of noncompliance for statutory damages (up to $2,000, 12 U.S.C. 2605(f)(1)(B)); a missed deadline alone is not a lawsuit: ask an attorney",
        basedOn: violations.map((c) => `${c.name} [${c.rule}], due ${c.dueStrict}`),
        // Counted from the strict due date of the earliest miss: the earliest start is the safest limit to keep.
        startedBy: { what: `${first.name} missed`, on: first.dueStrict },
        until: addYears(first.dueStrict, 3),
      },
      asOf,
    ),
  ];
}

const TILA_RULE = "15 U.S.C. 1640(e) (1 year from the violation)";
const TILA_ASK = "ask an attorney whether the servicer is liable under 15 U.S.C. 1640(a)";

function tilaPayoffOptions(clocks: readonly Clock[], asOf: IsoDate): LegalOption[] {
  return clocks
    .filter((c) => c.id.startsWith("payoff-statement") && c.party === "servicer" && missed(c) && c.dueStrict)
    .map((c) =>
      option(
        {
          id: `tila-${c.id}`,
          name: "Sue under TILA for the late payoff statement (15 U.S.C. 1639g)",
          rule: TILA_RULE,
          condition: `the violation: no accurate payoff statement within 7 business days of the written request (12 C.F.R. 1026.36(c)(3)); ${TILA_ASK}`,
          basedOn: [`${c.name} [${c.rule}], due ${c.dueStrict}`],
          startedBy: { what: "payoff statement missed", on: c.dueStrict as IsoDate },
          until: addYears(c.dueStrict as IsoDate, 1),
        },
        asOf,
      ),
    );
}

function tilaCreditingOptions(input: CaseClockInput, asOf: IsoDate): LegalOption[] {
  return input.letters.flatMap((l) => {
    const paid = l.fields["payment-date"];
    if (l.kind !== "payment-delay" || !paid) return [];
    return [
      option(
        {
          id: `tila-crediting-m${l.messageId}`,
          name: "Sue under TILA for a payment not credited on the day it was received (15 U.S.C. 1639f)",
          rule: TILA_RULE,
          condition: `a servicer must credit a periodic payment as of the day it receives it (12 C.F.R. 1026.36(c)(1)(i)); counted from that day, as your letter ${l.messageId} states it; ${TILA_ASK}`,
          basedOn: [`letter ${l.messageId}: payment received ${paid}`],
          startedBy: { what: `payment received ${paid}, not credited that day`, on: paid, messageId: l.messageId },
          until: addYears(paid, 1),
        },
        asOf,
      ),
    ];
  });
}

/** The borrower's options in a case on `asOf`, from its clocks (computed for that day) and its letters. */
export function caseOptions(input: CaseClockInput, clocks: readonly Clock[], asOf: IsoDate): LegalOption[] {
  return [...respaOption(clocks, asOf), ...tilaPayoffOptions(clocks, asOf), ...tilaCreditingOptions(input, asOf)];
}
