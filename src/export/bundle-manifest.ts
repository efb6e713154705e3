/**
 * manifest.json and the draft certificate of authenticity of an evidence bundle, and the lines of its
 * events.jsonl: the files that describe the others.
 */
import type { UserConfig } from "../config/config.js";
import { canonicalJson, type EventRow, GENESIS_HASH } from "../store/events.js";
import type { BundlePlan, OmittedFile } from "./bundle-plan.js";
import type { SourceCase } from "./timeline-sources.js";

/** One event as a line of events.jsonl: every column, `data` kept as the exact text that was hashed. */
export function eventLine(e: EventRow): string {
  return canonicalJson({
    id: e.id,
    chain: e.chain,
    case_id: e.case_id,
    loan_id: e.loan_id,
    at: e.at,
    type: e.type,
    actor: e.actor,
    message_id: e.message_id,
    data: e.data,
    prev_hash: e.prev_hash,
    hash: e.hash,
  });
}

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface ChainFact {
  chain: number;
  case: string;
  events: number;
  head: string;
}

/** manifest.json (schema 1). */
export interface Manifest {
  schema: 1;
  kind: "loanmail-evidence-bundle";
  tool: { name: "loanmail"; version: string };
  createdAt: string;
  timeZone: string;
  asOf: string;
  redacted: boolean;
  case: { id: number; tag: string };
  cases: { id: number; tag: string; parent: string | null; kind: string; status: string }[];
  hashAlgorithm: "SHA-256";
  files: ManifestFile[];
  messages: {
    id: number;
    case: string;
    direction: string;
    path: string | null;
    sha256: string;
    size: number;
    messageId: string | null;
  }[];
  omitted: OmittedFile[];
  events: { path: string | null; count: number; chains: ChainFact[]; note?: string };
  chainHead: string;
  notes: string[];
}

/** Each case's chain as the bundle records it: its length and its head (the hash of its last event). */
export function chainFacts(sources: readonly SourceCase[]): ChainFact[] {
  return sources.map((sc) => ({
    chain: sc.record.id,
    case: sc.record.tag,
    events: sc.events.length,
    head: sc.events.at(-1)?.hash ?? GENESIS_HASH,
  }));
}

export interface ManifestInput {
  toolVersion: string;
  createdAt: string;
  timeZone: string;
  asOf: string;
  redacted: boolean;
  /** The case asked for first, then its descendants. */
  sources: readonly SourceCase[];
  /** The files written so far: every file of the zip before manifest.json. */
  files: readonly ManifestFile[];
  plan: BundlePlan;
  chains: ChainFact[];
  notes: string[];
  /** Masks a Message-ID in a redacted bundle (it can hold an account number). */
  maskMessageId: (messageId: string | null) => string | null;
}

/** The manifest of a bundle; `root` is the case asked for. */
export function buildManifest(root: SourceCase, x: ManifestInput): Manifest {
  return {
    schema: 1,
    kind: "loanmail-evidence-bundle",
    tool: { name: "loanmail", version: x.toolVersion },
    createdAt: x.createdAt,
    timeZone: x.timeZone,
    asOf: x.asOf,
    redacted: x.redacted,
    case: { id: root.record.id, tag: root.record.tag },
    cases: x.sources.map((sc) => ({
      id: sc.record.id,
      tag: sc.record.tag,
      parent: sc.parentTag,
      kind: sc.record.kind,
      status: sc.record.status,
    })),
    hashAlgorithm: "SHA-256",
    files: [...x.files],
    messages: x.plan.messages.map(({ source: m, tag, path }) => ({
      id: m.id,
      case: tag,
      direction: m.direction,
      path,
      sha256: m.rawSha256,
      size: m.size,
      messageId: x.maskMessageId(m.messageId),
    })),
    omitted: x.plan.omitted,
    events: {
      path: x.redacted ? null : "events.jsonl",
      count: x.chains.reduce((n, c) => n + c.events, 0),
      chains: x.chains,
      ...(x.redacted ? { note: "left out of a redacted bundle: its events hold the unmasked numbers" } : {}),
    },
    chainHead: x.chains[0]?.head ?? GENESIS_HASH,
    notes: x.notes,
  };
}

/** The draft certificate of authenticity (FRE 902(14) and 902(11)), for a person to complete and sign. */
export function buildCertificate(m: Manifest, manifestSha256: string, zipName: string, user: UserConfig): string {
  const root = m.cases[0];
  const lines = [
    "DRAFT - CERTIFICATE OF AUTHENTICITY OF ELECTRONIC RECORDS",
    "Federal Rules of Evidence 902(11) and 902(14); declaration under 28 U.S.C. 1746",
    "",
    "This draft was prepared by loanmail for a person to review, complete and sign. It is not signed, it is not",
    "legal advice, and a state court, agency or arbitrator may have its own rules. Strike anything that is not true.",
    "Under FRE 902(11)/(14) the party offering the records must give the other side reasonable written notice and",
    "make the records and this certificate available for inspection before the hearing or trial.",
    "",
    `I, ____________________________________ [${user.name}], declare:`,
    "",
    `1. I am over 18 and competent to make this declaration. I am [the borrower / a housing counselor assisting`,
    "   the borrower], and I kept the records described below myself, using the program loanmail.",
    "",
    `2. The evidence bundle "${zipName}" was produced by loanmail ${m.tool.version} on ${m.createdAt} from my`,
    `   record of case ${root?.tag ?? ""}${
      m.cases.length > 1
        ? ` and the cases escalated from it (${m.cases
            .slice(1)
            .map((c) => c.tag)
            .join(", ")})`
        : ""
    }.`,
    "",
    "3. Each letter I sent and each reply I received was stored when it was composed, sent or received, as the",
    "   exact bytes of the message, with its SHA-256 hash. A letter printed for the post was also kept, when it",
    "   was printed, as the exact PDF that was printed; proof of mailing (receipts, return receipts, tracking",
    "   pages) was kept as I scanned or saved it. Each step of the matter (letters composed, printed, sent,",
    "   mailed and delivered, replies received, calls and notes) was recorded at or near the time it happened in",
    "   an append-only log in which every entry carries the hash of the entry before it. It was my regular",
    "   practice to keep this record for my correspondence with the servicer.",
    "",
    "4. The bundle's files were copied from that record by a process that identifies each file by its SHA-256",
    "   hash (FRE 902(14)). manifest.json lists every file with its size and hash. A copy of any file whose",
    "   SHA-256 hash equals the one listed is an exact copy of the record.",
    "",
    `   manifest.json SHA-256: ${manifestSha256}`,
    `   Files listed: ${m.files.length}${m.omitted.length ? `; files left out (listed with their hashes): ${m.omitted.length}` : ""}`,
    ...m.events.chains.map((c) => `   Event log of ${c.case}: ${c.events} events, last hash (chain head) ${c.head}`),
    ...(m.redacted
      ? [
          "",
          "   This is a redacted copy: account numbers and Social Security numbers are masked to their last 4",
          "   digits, and the byte-exact originals and the event log are left out. The hashes above identify the",
          "   full record from which it was made.",
        ]
      : []),
    "",
    "5. Anyone can check the bundle: `loanmail verify` recomputes every hash in manifest.json and every link of",
    "   the event log, or each file can be checked with any SHA-256 tool (for example `sha256sum`).",
    "",
    "I declare under penalty of perjury under the laws of the United States of America that the foregoing is",
    "true and correct.",
    "",
    "Executed on ____________________ (date) at ________________________________ (city, state).",
    "",
    "",
    "______________________________________",
    `Signature                              Printed name: ${user.name}`,
    "",
  ];
  return `${lines.join("\n")}`;
}
