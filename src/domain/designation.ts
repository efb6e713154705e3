/**
 * Did a letter reach a channel the servicer designated for notices? Only a notice of error or request for
 * information received there starts the servicer's duties: 12 C.F.R. 1024.35(c) and 1024.36(b) let a servicer
 * designate an address (and it may also designate an electronic channel of its own), and a notice sent anywhere
 * else does not have to be treated as one. Decided once, when the letter leaves, and frozen in its event, so a
 * later change of the servicer's designations never rewrites what a letter started.
 */
import type { LetterChannel } from "./clock-types.js";

/** The rule every designation statement cites. */
export const DESIGNATION_RULE = "12 C.F.R. 1024.35(c), 1024.36(b)";

/** What the servicer designated for notices, as recorded when the letter left. */
export interface NoticeDesignations {
  name: string;
  noticeAddress: string | null;
  noticeEmail: string | null;
  noticePortal: string | null;
}

/** How a letter left. */
export interface Departure {
  formal: boolean;
  channel: LetterChannel;
  /** The email address it went to (email channels). */
  to: string | null;
  /** The postal address it was mailed to (post). */
  postalAddress: string | null;
}

export type Designation = { designated: true; where: string } | { designated: false; why: string };

/** The designation statement worth showing: for a formal letter, or one that reached a designated channel. */
export function designationToShow(formal: boolean, d: Designation | null): Designation | null {
  return d && (formal || d.designated) ? d : null;
}

/** Addresses are compared as their words: letter case, line breaks, commas and spacing do not matter. */
function sameAddress(a: string, b: string): boolean {
  const words = (x: string) =>
    x
      .toLowerCase()
      .split(/[\s,]+/)
      .filter((w) => w !== "")
      .join(" ");
  return words(a) === words(b);
}

function oneLine(address: string): string {
  return address
    .split(/\n+/)
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join(", ");
}

/** Where a letter that left this way arrived, in the terms of Reg X. */
export function designationOf(d: Departure, s: NoticeDesignations): Designation {
  if (!d.formal) {
    return {
      designated: false,
      why: "an ordinary letter, not a formal notice of error or request for information (to start them, compose one with --formal)",
    };
  }
  switch (d.channel) {
    case "post":
      if (d.postalAddress && s.noticeAddress && sameAddress(d.postalAddress, s.noticeAddress)) {
        return { designated: true, where: `the designated notice address (${oneLine(s.noticeAddress)})` };
      }
      return {
        designated: false,
        why: s.noticeAddress
          ? `mailed to ${oneLine(d.postalAddress ?? "an unrecorded address")}, not ${s.name}'s designated notice address`
          : `${s.name} had no designated notice address on record when it was mailed`,
      };
    case "email":
    case "notice-email":
      if (d.to && s.noticeEmail && d.to.toLowerCase() === s.noticeEmail.toLowerCase()) {
        return { designated: true, where: `the designated notice email (${s.noticeEmail})` };
      }
      return {
        designated: false,
        why: `emailed to ${d.to ?? "an unrecorded address"}, not an address ${s.name} designated for notices`,
      };
    case "portal":
      if (s.noticePortal) return { designated: true, where: `the portal ${s.name} designated (${s.noticePortal})` };
      return {
        designated: false,
        // The record knows only what was recorded: not whether the servicer had designated a portal that day.
        why: `no portal of ${s.name} for notices was on record when the letter was uploaded (if it designates one, record it with servicer set --notice-portal URL; letters uploaded after that count, this one stays as it was judged when it left)`,
      };
    case "fax":
      return { designated: false, why: `faxed: a fax number is not a channel ${s.name} designated for notices` };
    case "hand":
      return {
        designated: false,
        why: `handed over in person: loanmail cannot show it was received at ${s.name}'s designated notice address`,
      };
  }
}

/** The sentence shown for a formal letter whose Reg X clocks do not run. */
export function clocksDoNotRun(why: string): string {
  return `Reg X clocks do not run: ${why} (${DESIGNATION_RULE})`;
}
