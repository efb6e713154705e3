/**
 * The referral a scheduled foreclosure sale calls for (docs/ARCHITECTURE.md, "Clients"): said once, when a sale date
 * is first entered for a case. It gives the sale date, the foreclosure protections the record shows (from
 * dual-tracking.ts, 12 C.F.R. 1024.41(f), (g), (j)), and "talk to an attorney" with where to find legal aid for
 * the property's state. Only finders that exist are named: LawHelp.org's finder (choose the state there) and the
 * Legal Services Corporation's; no state-specific address is guessed. Pure.
 */
import type { IsoDate } from "./calendar.js";
import type { Protection } from "./protections.js";

/** Where to find legal aid, nationwide: both let the user pick the state. */
export const LEGAL_AID_FINDERS = [
  { name: "LawHelp.org", url: "https://www.lawhelp.org/find-help" },
  { name: "Legal Services Corporation", url: "https://www.lsc.gov/about-lsc/what-legal-aid/get-legal-help" },
] as const;

/** The states, the District of Columbia and the territories, by their USPS code. */
export const STATE_NAMES: Readonly<Record<string, string>> = {
  AL: "Alabama",
  AK: "Alaska",
  AZ: "Arizona",
  AR: "Arkansas",
  CA: "California",
  CO: "Colorado",
  CT: "Connecticut",
  DE: "Delaware",
  DC: "District of Columbia",
  FL: "Florida",
  GA: "Georgia",
  HI: "Hawaii",
  ID: "Idaho",
  IL: "Illinois",
  IN: "Indiana",
  IA: "Iowa",
  KS: "Kansas",
  KY: "Kentucky",
  LA: "Louisiana",
  ME: "Maine",
  MD: "Maryland",
  MA: "Massachusetts",
  MI: "Michigan",
  MN: "Minnesota",
  MS: "Mississippi",
  MO: "Missouri",
  MT: "Montana",
  NE: "Nebraska",
  NV: "Nevada",
  NH: "New Hampshire",
  NJ: "New Jersey",
  NM: "New Mexico",
  NY: "New York",
  NC: "North Carolina",
  ND: "North Dakota",
  OH: "Ohio",
  OK: "Oklahoma",
  OR: "Oregon",
  PA: "Pennsylvania",
  RI: "Rhode Island",
  SC: "South Carolina",
  SD: "South Dakota",
  TN: "Tennessee",
  TX: "Texas",
  UT: "Utah",
  VT: "Vermont",
  VA: "Virginia",
  WA: "Washington",
  WV: "West Virginia",
  WI: "Wisconsin",
  WY: "Wyoming",
  PR: "Puerto Rico",
  GU: "Guam",
  VI: "U.S. Virgin Islands",
  AS: "American Samoa",
  MP: "Northern Mariana Islands",
};

/**
 * The state of a U.S. property address: the USPS code before its ZIP code ("Springfield, IL 62701"), or alone at
 * the end of the address; undefined when the address does not say.
 */
export function stateOfAddress(address: string): string | undefined {
  const flat = address.replace(/\s+/g, " ").trim();
  const beforeZip = [...flat.matchAll(/(?:^|[\s,])([A-Za-z]{2})\.?,?\s+\d{5}(?:-\d{4})?\b/g)].at(-1)?.[1];
  const code = (beforeZip ?? /(?:^|[\s,])([A-Za-z]{2})\.?$/.exec(flat)?.[1])?.toUpperCase();
  return code !== undefined && code in STATE_NAMES ? code : undefined;
}

/** The foreclosure protections (not a transfer's 60 days) of the record: what a sale date makes urgent. */
export function foreclosureProtections(protections: readonly Protection[]): Protection[] {
  return protections.filter((p) => p.kind !== "transfer-payment");
}

export interface SaleReferral {
  saleDate: IsoDate;
  /** The property's state code and name, when its address says. */
  state: { code: string; name: string } | null;
  protections: Protection[];
  advice: string;
  finders: { name: string; url: string }[];
}

/** The advice every referral gives, whatever the record shows. */
export const ATTORNEY_ADVICE =
  "Talk to an attorney now: a scheduled foreclosure sale has deadlines of its own under state law that loanmail does not track, and an attorney can tell whether the sale may go ahead.";

/** The referral for a sale scheduled on `saleDate`, from the property's address and the protections computed. */
export function saleReferral(
  saleDate: IsoDate,
  propertyAddress: string,
  protections: readonly Protection[],
): SaleReferral {
  const code = stateOfAddress(propertyAddress);
  return {
    saleDate,
    state: code === undefined ? null : { code, name: STATE_NAMES[code] as string },
    protections: foreclosureProtections(protections),
    advice: ATTORNEY_ADVICE,
    finders: LEGAL_AID_FINDERS.map((f) => ({ ...f })),
  };
}

/** Whether a sale date was already entered in the case: then its referral was said, and is not said again. */
export function saleDateSeenBefore(earlierSaleDates: readonly (string | undefined)[], saleDate: IsoDate): boolean {
  return earlierSaleDates.includes(saleDate);
}
