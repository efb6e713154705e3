/**
 * The CFPB's complaint process, which is the Bureau's published practice (consumerfinance.gov/complaint/process and
 * its Company Portal Manual), not a regulation:
 *
 * - the company responds within 15 calendar days of the complaint being sent to it;
 * - it may instead respond that its work is "in progress", and then owes a final response within 60 calendar
 *   days of the complaint being sent to it;
 * - once the company has responded, the consumer has 60 days to give the CFPB feedback on the response.
 *
 * `filed CASE --cfpb-id ID --date D` records the complaint sent to the company; `filed CASE --response-date D
 * [--in-progress]` what came back. Only a recorded response meets these clocks (the company answers through the
 * CFPB's portal, not necessarily by a letter to the borrower).
 */
import { borrowerDeadline } from "./borrower-deadlines.js";
import { addDays, businessDaysLate, daysBetween, type IsoDate } from "./calendar.js";
import type { Clock, ClockEvent, ClockSpec } from "./clock-types.js";
import { runClock } from "./run-clock.js";

const PROCESS = "CFPB complaint process (not a regulation)";

const RESPONSE: ClockSpec = {
  id: "cfpb-response",
  name: "CFPB: company response",
  rule: `${PROCESS}: 15 calendar days`,
  days: 15,
  unit: "calendar",
  meets: [],
};

const FINAL: ClockSpec = {
  id: "cfpb-final",
  name: 'CFPB: final response after an "in progress" reply',
  rule: `${PROCESS}: 60 calendar days`,
  days: 60,
  unit: "calendar",
  meets: [],
};

/**
 * A process clock from the complaint's day, met by the company's recorded response (if it came by `asOf`). It
 * counts calendar days, so its lateness is told in calendar days too (`calendarDaysLate`, beside the business days).
 */
function processClock(
  spec: ClockSpec,
  start: { what: string; on: IsoDate },
  response: ClockEvent | undefined,
  asOf: IsoDate,
  note: string | null,
): Clock {
  const ran = runClock(spec, start, [], asOf);
  const lateDays = (on: IsoDate) => (ran.dueLenient && on > ran.dueLenient ? daysBetween(ran.dueLenient, on) : null);
  const clock = { ...ran, note, calendarDaysLate: ran.status === "late" ? lateDays(asOf) : null };
  if (!response || response.on > asOf) return clock;
  const late = clock.dueLenient ? businessDaysLate(clock.dueLenient, response.on) : 0;
  const kind = response.data?.in_progress === "true" ? '"in progress" response' : "response";
  return {
    ...clock,
    status: "met",
    businessDaysLate: late > 0 ? late : null,
    calendarDaysLate: late > 0 ? lateDays(response.on) : null,
    note: [note, `the company's ${kind} was recorded on ${response.on}`].filter(Boolean).join("; "),
  };
}

/** The clocks of each CFPB complaint of a case: the company's response, its final response, the feedback window. */
export function cfpbClocks(events: readonly ClockEvent[], asOf: IsoDate): Clock[] {
  const filings = events.filter((e) => e.type === "cfpb-filed").sort((a, b) => a.on.localeCompare(b.on));
  return filings.flatMap((filing, i) => {
    const id = filing.data?.["cfpb-id"] ?? "";
    const suffix = filings.length > 1 ? `-${i + 1}` : "";
    const start = { what: `CFPB complaint ${id} sent to the company`.replace("  ", " "), on: filing.on };
    const responses = events
      .filter((e) => e.type === "cfpb-response" && (e.data?.["cfpb-id"] ?? "") === id && e.on >= filing.on)
      .sort((a, b) => a.on.localeCompare(b.on));
    const first = responses[0];
    const final = responses.find((r) => r.data?.in_progress !== "true");
    const clocks = [processClock({ ...RESPONSE, id: RESPONSE.id + suffix }, start, first, asOf, null)];
    if (first && first.data?.in_progress === "true") {
      const said = `the company answered "in progress" on ${first.on}`;
      clocks.push(processClock({ ...FINAL, id: FINAL.id + suffix }, start, final, asOf, said));
    }
    if (final) {
      clocks.push(
        borrowerDeadline(
          `cfpb-feedback${suffix}`,
          "Give the CFPB feedback on the company's response",
          `${PROCESS}: 60 days after the response`,
          { what: `the company's response to complaint ${id}`.replace("  ", " "), on: final.on },
          addDays(final.on, 60),
          asOf,
        ),
      );
    }
    return clocks;
  });
}
