/**
 * A client household's intake (docs/ARCHITECTURE.md, "Clients"): what a housing counselor records when the file
 * opens, each field optional. Stored as JSON in clients.intake and written whole into the `client-added` and
 * `client-changed` events. Pure: the day to check dates against is passed in.
 *
 * The borrowers on each loan are not intake: they are the loan's (`loan add --borrower`).
 */

import { UserError } from "../errors.js";
import type { IsoDate } from "./calendar.js";
import { pastDay } from "./typed-days.js";

/**
 * Household income as a percentage of the area median income (AMI), in the income bands of HUD form 9902 (the
 * housing counseling agency activity report, section "Household Income Level"): below 30%, 30-49%, 50-79%,
 * 80-100%, above 100%, and "chose not to respond".
 */
export const AMI_BANDS = ["<30", "30-49", "50-79", "80-100", ">100", "declined"] as const;
export type AmiBand = (typeof AMI_BANDS)[number];

/** Each band in words, as `client show` prints it. */
export const AMI_BAND_WORDS: Record<AmiBand, string> = {
  "<30": "below 30% of area median income",
  "30-49": "30-49% of area median income",
  "50-79": "50-79% of area median income",
  "80-100": "80-100% of area median income",
  ">100": "above 100% of area median income",
  declined: "chose not to respond",
};

export interface Intake {
  /** Household members, as the client names them. */
  members?: string[];
  email?: string;
  phone?: string;
  address?: string;
  /** Preferred language, a code such as "es" or "vi". */
  language?: string;
  amiBand?: AmiBand;
  /** The day the counseling agreement was signed. */
  agreementSigned?: IsoDate;
  /** The day the privacy disclosure was signed. */
  privacySigned?: IsoDate;
  /** Who referred the client (a servicer, a court, a friend, 211). */
  referral?: string;
}

/** What the user typed for an intake; every field optional, nothing checked yet. */
export interface IntakeInput {
  members?: readonly string[] | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  address?: string | undefined;
  language?: string | undefined;
  amiBand?: string | undefined;
  agreementSigned?: string | undefined;
  privacySigned?: string | undefined;
  referral?: string | undefined;
}

/** The field names of an intake with the flag that sets each, for messages. */
export const INTAKE_FLAGS: Record<keyof Intake, string> = {
  members: "--member",
  email: "--email",
  phone: "--phone",
  address: "--address",
  language: "--language",
  amiBand: "--ami-band",
  agreementSigned: "--agreement-signed",
  privacySigned: "--privacy-signed",
  referral: "--referral",
};

function text(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (!t)
    throw new UserError(`${flag} is empty`, { code: "EMPTY_VALUE", hint: `give a value for ${flag}, or leave it out` });
  return t;
}

function signedDay(value: string | undefined, flag: string, today: IsoDate): IsoDate | undefined {
  return value === undefined
    ? undefined
    : pastDay(value.trim(), flag, today, "record the day it was signed, once it was");
}

/** A band as typed (`<30`, `30-49`, `30–49%`, `>100`, `declined`), or a refusal naming the bands. */
export function parseAmiBand(value: string): AmiBand {
  const v = value.trim().replace(/[–—]/g, "-").replace(/%/g, "").replace(/\s+/g, "").toLowerCase();
  const band = AMI_BANDS.find((b) => b === v);
  if (band) return band;
  throw new UserError(`--ami-band ${value}: not an income band`, {
    code: "UNKNOWN_AMI_BAND",
    hint: `give household income as a percentage of area median income, one of HUD form 9902's bands: ${AMI_BANDS.join(", ")}`,
  });
}

function looksLikeEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);
}

/** Check what was typed: names not empty, dates real and not in the future, a known band, an email address. */
export function checkIntake(input: IntakeInput, today: IsoDate): Intake {
  const out: Intake = {};
  if (input.members !== undefined) {
    const members = input.members.map((m) => m.trim());
    if (members.some((m) => !m))
      throw new UserError("--member is empty", { code: "EMPTY_VALUE", hint: "give each household member's name" });
    out.members = [...new Set(members)];
  }
  const email = text(input.email, "--email");
  if (email !== undefined && !looksLikeEmail(email))
    throw new UserError(`--email ${email}: not an email address`, {
      code: "INVALID_EMAIL",
      hint: "give an address such as name@example.org",
    });
  if (email !== undefined) out.email = email;
  const phone = text(input.phone, "--phone");
  if (phone !== undefined) out.phone = phone;
  // "\n" typed in a shell argument means a line break, as in init's --address.
  const address = text(input.address?.replace(/\\n/g, "\n"), "--address");
  if (address !== undefined) out.address = address;
  const language = text(input.language, "--language");
  if (language !== undefined) {
    if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language))
      throw new UserError(`--language ${language}: not a language code`, {
        code: "INVALID_LANGUAGE",
        hint: "give a language code such as es, vi, zh or ht",
      });
    out.language = language.toLowerCase();
  }
  if (input.amiBand !== undefined) out.amiBand = parseAmiBand(input.amiBand);
  const agreement = signedDay(input.agreementSigned, "--agreement-signed", today);
  if (agreement !== undefined) out.agreementSigned = agreement;
  const privacy = signedDay(input.privacySigned, "--privacy-signed", today);
  if (privacy !== undefined) out.privacySigned = privacy;
  const referral = text(input.referral, "--referral");
  if (referral !== undefined) out.referral = referral;
  return out;
}

/** The stored intake (JSON text), read leniently: unknown keys are dropped. */
export function readIntake(json: string): Intake {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return {};
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return {};
  const keys = Object.keys(INTAKE_FLAGS);
  return Object.fromEntries(Object.entries(raw).filter(([k]) => keys.includes(k))) as Intake;
}

/** The intake after a change: the fields given replace the stored ones; members replace the whole list. */
export function mergeIntake(current: Intake, change: Intake): Intake {
  return { ...current, ...change };
}

/** The names of the fields a change actually changes. */
export function changedFields(current: Intake, next: Intake): (keyof Intake)[] {
  return (Object.keys(INTAKE_FLAGS) as (keyof Intake)[]).filter(
    (k) => JSON.stringify(current[k]) !== JSON.stringify(next[k]),
  );
}

/** A client's name, checked: not empty. */
export function checkClientName(name: string): string {
  const n = name.trim().replace(/\s+/g, " ");
  if (!n)
    throw new UserError("the client's name is empty", {
      code: "EMPTY_VALUE",
      hint: 'name the household, e.g. loanmail client add "Tran household"',
    });
  return n;
}
