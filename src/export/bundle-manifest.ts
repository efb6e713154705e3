/**
 * manifest.json of an evidence bundle, and the lines of its events.jsonl: the files that describe the others
 * (the certificate that names the manifest's hash is certification.ts).
 */
import { canonicalJson, type EventRow, GENESIS_HASH } from "../store/events.js";
import type { BatesRange } from "./bates.js";
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
  /** The case asked for; null for a client's whole file. */
  case: { id: number; tag: string } | null;
  /** A client's whole file (`export --client`): whose, and its files beyond the cases. */
  client?: { id: number; name: string; files: string[] };
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
  /** Each evidence file's Bates numbers (bates.ts), in the bundle's order. */
  bates: { prefix: string; files: BatesRange[] };
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
  bates: Manifest["bates"];
  /** Masks a Message-ID in a redacted bundle (it can hold an account number). */
  maskMessageId: (messageId: string | null) => string | null;
}

/** The manifest of a bundle; `root` is the case asked for (none for a client's whole file). */
export function buildManifest(
  root: SourceCase | undefined,
  client: { id: number; name: string } | undefined,
  x: ManifestInput,
): Manifest {
  return {
    schema: 1,
    kind: "loanmail-evidence-bundle",
    tool: { name: "loanmail", version: x.toolVersion },
    createdAt: x.createdAt,
    timeZone: x.timeZone,
    asOf: x.asOf,
    redacted: x.redacted,
    case: root ? { id: root.record.id, tag: root.record.tag } : null,
    ...(client
      ? {
          client: {
            id: client.id,
            name: client.name,
            files: x.files.map((f) => f.path).filter((p) => p.startsWith("client/")),
          },
        }
      : {}),
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
    bates: x.bates,
    notes: x.notes,
  };
}
