/**
 * The pure parts of the evidence export: CSV quoting (RFC 4180), HTML escaping, file-name sanitizing and
 * collisions, redaction, the timeline model (rows, clocks, child cases), and the zip reader and chain walk that
 * `verify` uses.
 */
import { createHash } from "node:crypto";
import { closeSync, createWriteStream, fstatSync, mkdtempSync, openSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { ZipFile } from "yazl";
import type { Clock } from "../../src/domain/clocks.js";
import { eventLine } from "../../src/export/bundle-manifest.js";
import { NameAllocator, sanitizeFileName } from "../../src/export/bundle-names.js";
import { planBundle } from "../../src/export/bundle-plan.js";
import { escapeHtml, renderChartSvg, renderHtmlReport } from "../../src/export/html-report.js";
import { buildRedactor, redactTimeline } from "../../src/export/redact.js";
import { buildTimeline } from "../../src/export/timeline.js";
import {
  CSV_HEADER,
  csvField,
  csvRecord,
  neutralizeFormula,
  renderTimelineCsv,
  renderTimelineText,
} from "../../src/export/timeline-render.js";
import { orderCaseForest, type SourceCase, type SourceMessage } from "../../src/export/timeline-sources.js";
import { formatWhen } from "../../src/export/timeline-when.js";
import { walkEventEntry, walkEventLines } from "../../src/export/verify-chain.js";
import { digestEntry, readZipDirectory } from "../../src/export/zip-reader.js";
import type { CaseRecord } from "../../src/store/cases.js";
import { computeEventHash, type EventRow, GENESIS_HASH } from "../../src/store/events.js";

/** A small RFC 4180 reader, to prove the writer's output reads back to the same fields. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      i++;
    } else if (ch === ",") {
      record.push(field);
      field = "";
      i++;
    } else if (ch === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i += 2;
    } else {
      if (ch === '"' || ch === "\n" || ch === "\r") throw new Error(`bare ${JSON.stringify(ch)} at ${i}`);
      field += ch;
      i++;
    }
  }
  if (field !== "" || record.length > 0) throw new Error("last record not ended by CRLF");
  return records;
}

describe("CSV (RFC 4180)", () => {
  it("quotes only fields with a comma, a double quote, CR or LF, doubling the quotes", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("")).toBe("");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line1\nline2")).toBe('"line1\nline2"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField("crlf\r\nhere")).toBe('"crlf\r\nhere"');
    expect(csvRecord(["a", "b,c", '"'])).toBe('a,"b,c",""""');
  });

  it("reads back to the same fields, with CRLF record ends", () => {
    const fields = ["x", "comma, inside", 'quote " inside', "new\nline", 'both,"\r\n', "ünïcode – dash"];
    const text = `${csvRecord(fields)}\r\n${csvRecord(["1", "2"])}\r\n`;
    expect(parseCsv(text)).toEqual([fields, ["1", "2"]]);
  });

  it("neutralizes text that a spreadsheet would run as a formula", () => {
    expect(neutralizeFormula('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(neutralizeFormula("+1")).toBe("'+1");
    expect(neutralizeFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutralizeFormula("-2+3")).toBe("'-2+3");
    expect(neutralizeFormula("ordinary")).toBe("ordinary");
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and attributes", () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y'`)).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;",
    );
    expect(escapeHtml(null)).toBe("");
    expect(escapeHtml(42)).toBe("42");
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });
});

describe("file names from mail", () => {
  it("removes separators, .., control and bidi characters, leading and trailing dots and spaces", () => {
    for (const hostile of ["../../x.pdf", "..\\..\\x.pdf", "/etc/passwd", "a/../../b.pdf", "C:\\Windows\\x.exe"]) {
      const s = sanitizeFileName(hostile);
      expect(s).not.toMatch(/[/\\:]/);
      expect(s).not.toContain("..");
      expect(s.startsWith(".")).toBe(false);
    }
    expect(sanitizeFileName("../../x.pdf")).toMatch(/x\.pdf$/);
    expect(sanitizeFileName("a\u0000b\nc\u007f.pdf")).toBe("a b c .pdf");
    expect(sanitizeFileName("invoice\u202Efdp.exe")).toBe("invoicefdp.exe");
    expect(sanitizeFileName("report. . .")).toBe("report");
    expect(sanitizeFileName("  .hidden")).toBe("hidden");
    expect(sanitizeFileName('what?<>|*".pdf')).toBe("what______.pdf");
    expect(sanitizeFileName("")).toBe("file");
    expect(sanitizeFileName("...", "attachment-1")).toBe("attachment-1");
    expect(sanitizeFileName("Exhibit A – Proof of payment.pdf")).toBe("Exhibit A – Proof of payment.pdf");
  });

  it("prefixes reserved device names (CON, NUL, AUX, COM1, LPT9), whatever their case or extension", () => {
    expect(sanitizeFileName("CON")).toBe("_CON");
    expect(sanitizeFileName("con.txt")).toBe("_con.txt");
    expect(sanitizeFileName("nul.tar.gz")).toBe("_nul.tar.gz");
    expect(sanitizeFileName("Aux.pdf")).toBe("_Aux.pdf");
    expect(sanitizeFileName("COM1.pdf")).toBe("_COM1.pdf");
    expect(sanitizeFileName("lpt9")).toBe("_lpt9");
    expect(sanitizeFileName("console.pdf")).toBe("console.pdf");
    expect(sanitizeFileName("COM10.pdf")).toBe("COM10.pdf");
  });

  it("cuts long names to the limit and keeps the extension", () => {
    const s = sanitizeFileName(`${"x".repeat(300)}.pdf`);
    expect(Array.from(s).length).toBe(100);
    expect(s.endsWith(".pdf")).toBe(true);
    const emoji = sanitizeFileName(`${"😀".repeat(200)}.png`);
    expect(Array.from(emoji).length).toBe(100);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("numbers collisions, comparing names without case", () => {
    const names = new NameAllocator();
    expect(names.take("exhibits", "a.pdf")).toBe("exhibits/a.pdf");
    expect(names.take("exhibits", "a.pdf")).toBe("exhibits/a (2).pdf");
    expect(names.take("exhibits", "A.PDF")).toBe("exhibits/A (3).PDF");
    expect(names.take("other", "a.pdf")).toBe("other/a.pdf");
    expect(names.take("exhibits", "noext")).toBe("exhibits/noext");
    expect(names.take("exhibits", "noext")).toBe("exhibits/noext (2)");
  });
});

describe("redaction", () => {
  const redact = buildRedactor(["1234567", "98-7654321"]);

  it("masks the loan's account numbers, current and past, however they are written", () => {
    expect(redact("Account Number 1234567 – Notice of Error")).toBe("Account Number ***4567 – Notice of Error");
    expect(redact("acct 123-4567 and 123 4567")).toBe("acct ***-4567 and *** 4567");
    expect(redact("old loan 98-7654321 / 987654321")).toBe("old loan **-***4321 / *****4321");
  });

  it("masks SSNs and long numbers next to account words", () => {
    expect(redact("SSN 123-45-6789")).toBe("SSN ***-**-6789");
    expect(redact("my social security number is 123456789.")).toBe("my social security number is *****6789.");
    expect(redact("checking account 000123456789")).toBe("checking account ********6789");
  });

  it("leaves hashes, dates and other numbers alone", () => {
    const hash = createHash("sha256").update("1234567").digest("hex");
    expect(redact(hash)).toBe(hash);
    expect(redact("a1234567b")).toBe("a1234567b");
    expect(redact("on 2026-03-01 I paid 1500")).toBe("on 2026-03-01 I paid 1500");
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A synthetic case tree

const TZ = "America/Chicago";

function caseRecord(id: number, parentId: number | null, kind = "notice-of-error"): CaseRecord {
  return {
    id,
    loanId: 1,
    kind,
    formal: parentId === null,
    channel: "post",
    tag: `LM-TEST-${id}`,
    status: "open",
    step: "inquiry",
    parentId,
    openedAt: "2026-03-01T15:00:00.000Z",
    closedAt: null,
    accountNumber: "1234567",
    servicerName: "Mr. Cooper",
    clientId: 1,
    clientName: "Jane",
    subject: null,
  };
}

function chain(
  caseId: number,
  rows: Omit<EventRow, "id" | "chain" | "case_id" | "loan_id" | "prev_hash" | "hash">[],
  firstId: number,
): EventRow[] {
  let prev = GENESIS_HASH;
  return rows.map((r, i) => {
    const base = { chain: caseId, case_id: caseId, loan_id: 1, ...r, prev_hash: prev };
    const hash = computeEventHash(base);
    prev = hash;
    return { id: firstId + i, ...base, hash };
  });
}

function message(id: number, caseId: number, over: Partial<SourceMessage>): SourceMessage {
  return {
    id,
    caseId,
    direction: "out",
    channel: "post",
    kind: "notice-of-error",
    state: "sent",
    replyClass: null,
    messageId: `<m${id}@example.test>`,
    from: "jane@example.test",
    to: [],
    postalAddress: "PO Box 1",
    subject: `Account Number 1234567 – Notice of Error [LM-TEST-${caseId}]`,
    date: "2026-03-01T15:00:00.000Z",
    createdAt: "2026-03-01T15:00:00.000Z",
    rawSha256: createHash("sha256").update(`m${id}`).digest("hex"),
    size: 100,
    excerpt: "Account number: 1234567",
    attachments: [],
    trust: null,
    trustWhy: [],
    trustConfirmedAt: null,
    internalDate: null,
    arrivedAt: null,
    arrival: null,
    arrivedBy: null,
    messageIdReused: false,
    ...over,
  };
}

function clock(over: Partial<Clock>): Clock {
  return {
    id: "noe-ack",
    name: "Notice of error: acknowledgment",
    rule: "12 C.F.R. 1024.35(d)",
    party: "servicer",
    status: "open",
    startedBy: { what: "received at the designated address", on: "2026-03-05", messageId: 1 },
    dueStrict: "2026-03-12",
    dueLenient: "2026-03-12",
    metBy: null,
    businessDaysLate: null,
    extendedBy: null,
    note: null,
    ...over,
  };
}

function sources(): SourceCase[] {
  const parent: SourceCase = {
    record: caseRecord(1, null),
    depth: 0,
    parentTag: null,
    servicerName: "Mr. Cooper",
    servicerNoticeAddress: "PO Box 1",
    borrowers: ["Jane Q. Doe"],
    propertyAddress: "12 Elm St",
    accountNumber: "1234567",
    pastAccountNumbers: [],
    events: chain(
      1,
      [
        {
          at: "2026-03-01T15:00:00.000Z",
          type: "composed",
          actor: "user",
          message_id: 1,
          data: '{"kind":"notice-of-error"}',
        },
        {
          at: "2026-03-02T15:00:00.000Z",
          type: "mailed",
          actor: "user",
          message_id: 1,
          data: '{"mailed_on":"2026-03-02","tracking":"9407"}',
        },
        {
          at: "2026-03-06T15:00:00.000Z",
          type: "delivered",
          actor: "user",
          message_id: 1,
          data: '{"delivered_on":"2026-03-05","tracking":"9407"}',
        },
        {
          at: "2026-03-09T16:00:00.000Z",
          type: "received",
          actor: "servicer",
          message_id: 2,
          data: '{"class":"acknowledgment","from":"care@servicer.test"}',
        },
        {
          at: "2026-03-04T12:00:00.000Z",
          type: "call",
          actor: "user",
          message_id: null,
          data: '{"call_at":"2026-03-04T16:30:00.000Z","summary":"said \\"wait\\", call back","with":"Agent, ID 7"}',
        },
      ],
      1,
    ),
    messages: [
      message(1, 1, {}),
      message(2, 1, {
        direction: "in",
        channel: "email",
        state: null,
        replyClass: "acknowledgment",
        subject: "Re: [LM-TEST-1] <script>alert(1)</script>",
        date: "2026-03-09T16:00:00.000Z",
        // It reached the mailbox when its Date says (the server's INTERNALDATE, as a sync records it).
        internalDate: "2026-03-09T16:00:00.000Z",
        trust: "trusted",
        trustWhy: ["From help@servicer.test is Mr. Cooper's (reply domain servicer.test)"],
        attachments: [
          {
            id: 7,
            messageId: 2,
            position: 0,
            exhibit: null,
            label: "x.pdf",
            fileName: "../../x.pdf",
            contentType: "application/pdf",
            size: 10,
            sha256: "a".repeat(64),
          },
          ...["invoice.html", "logo.svg", "statement.pdf.js"].map((fileName, i) => ({
            id: 8 + i,
            messageId: 2,
            position: 1 + i,
            exhibit: null,
            label: fileName,
            fileName,
            contentType: "text/html",
            size: 10,
            sha256: String(i + 1).repeat(64),
          })),
        ],
      }),
    ],
    clocks: [
      clock({ status: "met", metBy: { messageId: 2, on: "2026-03-09", class: "acknowledgment" } }),
      clock({
        id: "noe-response",
        name: "Notice of error: response",
        rule: "12 C.F.R. 1024.35(e)(3)(i)(C)",
        status: "late",
        dueStrict: "2026-04-16",
        dueLenient: "2026-04-16",
        businessDaysLate: 3,
      }),
    ],
  };
  const child: SourceCase = {
    ...parent,
    record: caseRecord(2, 1, "follow-up"),
    depth: 1,
    parentTag: "LM-TEST-1",
    events: chain(
      2,
      [{ at: "2026-04-20T15:00:00.000Z", type: "note", actor: "user", message_id: null, data: '{"text":"follow up"}' }],
      10,
    ),
    messages: [],
    clocks: [],
  };
  return [parent, child];
}

describe("the timeline model", () => {
  const doc = buildTimeline({
    cases: sources(),
    generatedAt: "2026-05-01T00:00:00.000Z",
    timeZone: TZ,
    asOf: "2026-05-01",
  });

  it("has one row per event in the order things happened, and a row for each missed clock", () => {
    const rows = doc.cases[0]?.rows ?? [];
    expect(rows.map((r) => r.type)).toEqual(["composed", "mailed", "call", "delivered", "received", "clock-missed"]);
    expect(rows.find((r) => r.type === "mailed")?.when).toBe("2026-03-02");
    const call = rows.find((r) => r.type === "call");
    expect(call?.whenLocal).toBe("2026-03-04T10:30:00-06:00");
    expect(call?.whenDisplay).toBe("2026-03-04 10:30 CST (UTC-06:00)");
    expect(call?.channel).toBe("phone");
    expect(rows.find((r) => r.type === "received")?.whenLocal).toBe("2026-03-09T11:00:00-05:00");
  });

  it("puts each clock on the event that started, met or missed it, naming its rule", () => {
    const rows = doc.cases[0]?.rows ?? [];
    const delivered = rows.find((r) => r.type === "delivered");
    expect(delivered?.clocks.map((c) => [c.clock, c.role])).toEqual([
      ["noe-ack", "started"],
      ["noe-response", "started"],
    ]);
    expect(rows.find((r) => r.type === "received")?.clocks).toEqual([
      expect.objectContaining({ clock: "noe-ack", role: "met", rule: "12 C.F.R. 1024.35(d)" }),
    ]);
    const missed = rows.find((r) => r.type === "clock-missed");
    expect(missed).toMatchObject({ event: null, when: "2026-04-16", actor: "servicer", hash: null });
    expect(missed?.clocks[0]).toMatchObject({ clock: "noe-response", role: "missed", businessDaysLate: 3 });
  });

  it("puts a posted letter's Reg X clocks on its delivery when it was mailed and delivered the same day", () => {
    // Mailed 2026-03-05 and delivered 2026-03-05: the clocks ran from the delivery (12 C.F.R. 1024.35(d) counts
    // from receipt), so the timeline must not credit the mailing with starting them.
    const [parent] = sources();
    if (!parent) throw new Error("no case");
    const sameDay = parent.events.map((e) =>
      e.type === "mailed" ? { ...e, data: '{"mailed_on":"2026-03-05","tracking":"9407"}' } : e,
    );
    const startedBy = { what: "received at the designated address", on: "2026-03-05", messageId: 1 };
    const asDelivered = { ...startedBy, by: "delivered" as const };
    const build = (start: typeof startedBy) =>
      buildTimeline({
        cases: [{ ...parent, events: sameDay, clocks: [clock({ startedBy: start })] }],
        generatedAt: "2026-05-01T00:00:00.000Z",
        timeZone: TZ,
        asOf: "2026-03-06",
      }).cases[0]?.rows ?? [];
    const rows = build(asDelivered);
    expect(rows.find((r) => r.type === "delivered")?.clocks.map((c) => c.role)).toEqual(["started"]);
    expect(rows.find((r) => r.type === "mailed")?.clocks).toEqual([]);
  });

  it("places a letter entered later (compose --dated) on the day it was written, keeping when it was recorded", () => {
    // Entered 2026-03-10 (after its mailing on 03-02 was recorded) but written 2026-02-27: it comes first.
    const [parent] = sources();
    if (!parent) throw new Error("no case");
    const events = parent.events.map((e) =>
      e.type === "composed"
        ? { ...e, at: "2026-03-10T15:00:00.000Z", data: '{"kind":"notice-of-error","dated":"2026-02-27"}' }
        : e,
    );
    const rows =
      buildTimeline({
        cases: [{ ...parent, events }],
        generatedAt: "2026-05-01T00:00:00.000Z",
        timeZone: TZ,
        asOf: "2026-05-01",
      }).cases[0]?.rows ?? [];
    expect(rows[0]).toMatchObject({ type: "composed", when: "2026-02-27", recordedAt: "2026-03-10T15:00:00.000Z" });
    expect(rows[1]?.type).toBe("mailed");
  });

  it("tells an escalation and a resolution in words, never as raw data", () => {
    const [parent] = sources();
    if (!parent) throw new Error("no case");
    const escalated = {
      from: "formal",
      step: "regulator",
      chosen: false,
      as_of: "2026-04-20",
      trigger: "late-clock",
      triggers: [
        {
          kind: "late-clock",
          text: "Notice of error: response (12 C.F.R. 1024.35(e)(3)(i)(C)) is 3 business days late",
        },
      ],
      missed: [],
      cites: [],
      child: null,
      packet: { dir: "complaints/LM-TEST-1", files: [] },
    };
    const events = chain(
      1,
      [
        ...parent.events.map(({ at, type, actor, message_id, data }) => ({ at, type, actor, message_id, data })),
        {
          at: "2026-04-20T15:00:00.000Z",
          type: "escalated",
          actor: "user",
          message_id: null,
          data: JSON.stringify(escalated),
        },
        {
          at: "2026-04-21T15:00:00.000Z",
          type: "unresolved",
          actor: "user",
          message_id: null,
          data: '{"previous_status":"open","last_reply":null}',
        },
      ],
      1,
    );
    const rows =
      buildTimeline({
        cases: [{ ...parent, events }],
        generatedAt: "2026-05-01T00:00:00.000Z",
        timeZone: TZ,
        asOf: "2026-05-01",
      }).cases[0]?.rows ?? [];
    expect(rows.find((r) => r.type === "escalated")?.detail).toBe(
      "escalated from formal to regulator (the step loanmail proposed from the record, judged as of 2026-04-20); why: Notice of error: response (12 C.F.R. 1024.35(e)(3)(i)(C)) is 3 business days late; CFPB complaint packet written",
    );
    expect(rows.find((r) => r.type === "unresolved")?.detail).toBe("case marked unresolved (was open)");
    for (const r of rows) expect(r.detail).not.toMatch(/\b(as_of|chosen|previous_status): /);
  });

  it("keeps child cases right under their parent", () => {
    expect(doc.cases.map((c) => [c.tag, c.parent, c.depth])).toEqual([
      ["LM-TEST-1", null, 0],
      ["LM-TEST-2", "LM-TEST-1", 1],
    ]);
    const forest = orderCaseForest([caseRecord(3, null), caseRecord(2, 1), caseRecord(1, null), caseRecord(4, 2)]);
    expect(forest.map((x) => [x.c.id, x.depth])).toEqual([
      [1, 0],
      [2, 1],
      [4, 2],
      [3, 0],
    ]);
    const text = renderTimelineText(doc);
    expect(text).toMatch(/\n {2}== LM-TEST-2 \(escalated from LM-TEST-1\)/);
  });

  it("renders CSV with one record per row that reads back", () => {
    const csv = renderTimelineCsv(doc);
    expect(csv.startsWith("\ufeff")).toBe(true);
    const records = parseCsv(csv.slice(1));
    expect(records[0]).toEqual([...CSV_HEADER]);
    expect(records).toHaveLength(1 + doc.cases.reduce((n, c) => n + c.rows.length, 0));
    const call = records.find((r) => r[5] === "call");
    expect(call?.[11]).toBe('call with Agent, ID 7: said "wait", call back');
    expect(records.find((r) => r[5] === "clock-missed")?.[13]).toMatch(/^MISSED: Notice of error: response/);
  });

  it("masks numbers and drops per-event hashes when redacted, keeping the chain heads", () => {
    const red = redactTimeline(doc, buildRedactor(["1234567"]));
    const json = JSON.stringify(red);
    expect(json).not.toContain("1234567");
    expect(json).toContain("***4567");
    expect(red.redacted).toBe(true);
    expect(red.cases.every((c) => c.rows.every((r) => r.hash === null))).toBe(true);
    expect(red.cases[0]?.chainHead).toBe(doc.cases[0]?.chainHead);
    expect(red.cases[0]?.messages[0]?.sha256).toBe(doc.cases[0]?.messages[0]?.sha256);
  });

  it("renders an HTML page with no script, every string escaped, and the chart", () => {
    const html = renderHtmlReport(doc, { title: "T <script>" });
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain(`content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"`);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect((html.match(/<tr class="event/g) ?? []).length).toBe(doc.cases.reduce((n, c) => n + c.rows.length, 0));
    const svg = renderChartSvg(doc);
    expect((svg.match(/<circle /g) ?? []).length).toBe(6);
    expect((svg.match(/class="missed-mark"/g) ?? []).length).toBe(1);
  });

  it("formats instants with the zone's offset and leaves dates alone", () => {
    expect(formatWhen("2026-07-04T17:00:00.000Z", TZ)).toEqual({
      local: "2026-07-04T12:00:00-05:00",
      display: "2026-07-04 12:00 CDT (UTC-05:00)",
    });
    expect(formatWhen("2026-07-04T17:00:00.000Z", "UTC").local).toBe("2026-07-04T17:00:00+00:00");
    expect(formatWhen("2026-07-04", TZ)).toEqual({ local: "2026-07-04", display: "2026-07-04" });
  });
});

describe("the bundle plan", () => {
  it("names originals, exhibits and received attachments safely", () => {
    const plan = planBundle(sources(), false, TZ);
    const paths = plan.entries.map((e) => e.path);
    expect(paths).toContain("messages/001-2026-03-01-out.eml");
    expect(paths).toContain("messages/002-2026-03-09-in.eml");
    const received = paths.find((p) => p.startsWith("exhibits/received/"));
    expect(received).toMatch(/^exhibits\/received\/002-[^/]*x\.pdf$/);
    for (const p of paths) for (const part of p.split("/")) expect(part === ".." || part.includes("..")).toBe(false);
    expect(paths.slice(-3)).toEqual(["manifest.json", "certificate.pdf", "certificate.txt"]);
    // A received file a browser would run is kept under a .bin suffix; a PDF keeps its name.
    expect(
      paths.filter((p) => p.startsWith("exhibits/received/")).map((p) => p.replace(/^exhibits\/received\/\d+-/, "")),
    ).toEqual(["_._x.pdf", "invoice.html.bin", "logo.svg.bin", "statement.pdf.js.bin"]);
    const redacted = planBundle(sources(), true, TZ);
    expect(redacted.entries.some((e) => e.path.endsWith(".eml") || e.path.startsWith("exhibits/"))).toBe(false);
    expect(redacted.omitted.map((o) => o.path)).toContain("messages/001-2026-03-01-out.eml");
    expect(redacted.entries.some((e) => e.path === "events.jsonl")).toBe(false);
  });
});

describe("verify's zip reader and chain walk", () => {
  async function writeZip(path: string, files: [string, Buffer, boolean][], zip64: boolean) {
    const zip = new ZipFile();
    for (const [name, data, compress] of files) zip.addBuffer(data, name, { compress, forceZip64Format: zip64 });
    zip.end({ forceZip64Format: zip64, comment: "" });
    await pipeline(zip.outputStream, createWriteStream(path));
  }

  it.each([false, true])("reads stored and deflated entries (zip64: %s) and hashes them", async (zip64) => {
    const dir = mkdtempSync(join(tmpdir(), "loanmail-zip-"));
    const path = join(dir, "t.zip");
    const big = Buffer.alloc(300_000, "abc");
    const files: [string, Buffer, boolean][] = [
      ["a.txt", Buffer.from("hello"), false],
      ["dir/Exhibit A – b.bin", big, true],
      ["empty", Buffer.alloc(0), true],
    ];
    await writeZip(path, files, zip64);
    const fd = openSync(path, "r");
    const zip = { fd, size: fstatSync(fd).size };
    try {
      const { entries } = await readZipDirectory(zip);
      expect(entries.map((e) => e.name)).toEqual(files.map((f) => f[0]));
      for (const [i, e] of entries.entries()) {
        const d = await digestEntry(zip, e);
        const data = files[i]?.[1] as Buffer;
        expect(d).toEqual({ size: data.length, sha256: createHash("sha256").update(data).digest("hex"), crcOk: true });
      }
    } finally {
      closeSync(fd);
    }
  });

  it("reads the zip it opened, not a file put at its path after the check", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loanmail-zip-"));
    const path = join(dir, "t.zip");
    const other = join(dir, "other.zip");
    await writeZip(path, [["a.txt", Buffer.from("the bundle checked"), true]], false);
    await writeZip(other, [["a.txt", Buffer.from("a file swapped in"), true]], false);
    const fd = openSync(path, "r");
    try {
      const zip = { fd, size: fstatSync(fd).size };
      renameSync(other, path); // the swap: the path now names another file
      const { entries } = await readZipDirectory(zip);
      const e = entries[0];
      if (!e) throw new Error("no entry");
      const d = await digestEntry(zip, e);
      expect(d.sha256).toBe(createHash("sha256").update("the bundle checked").digest("hex"));
    } finally {
      closeSync(fd);
    }
  });

  it("walks events.jsonl and names the event whose content or link was changed", () => {
    const events = sources()[0]?.events ?? [];
    const lines = events.map((e) => `${eventLine(e)}\n`);
    const ok = walkEventLines(lines.join(""), new Map([[1, "LM-TEST-1"]]));
    expect(ok.findings).toEqual([]);
    expect(ok.heads.get(1)).toBe(events.at(-1)?.hash);
    expect(ok.messageHashes.size).toBe(0);

    const changed = [...lines];
    changed[1] = (changed[1] as string).replace("9407", "9408");
    const bad = walkEventLines(changed.join(""), new Map([[1, "LM-TEST-1"]]));
    expect(bad.findings).toHaveLength(1);
    expect(bad.findings[0]?.subject).toBe("event 2 (events.jsonl line 2, case LM-TEST-1)");
    expect(bad.findings[0]?.detail).toMatch(/content does not match its hash/);

    const dropped = lines.filter((_, i) => i !== 2);
    const gap = walkEventLines(dropped.join(""), new Map());
    expect(gap.findings[0]?.detail).toMatch(/link to the previous event is broken/);
  });

  it("walks events.jsonl from the zip as it inflates, line by line: the same findings, and a giant line reported", async () => {
    const events = sources()[0]?.events ?? [];
    const lines = events.map((e) => `${eventLine(e)}\n`);
    const tags = new Map([[1, "LM-TEST-1"]]);
    const dir = mkdtempSync(join(tmpdir(), "loanmail-zip-"));
    const walkZip = async (text: string) => {
      const path = join(dir, `events-${text.length}.zip`);
      await writeZip(path, [["events.jsonl", Buffer.from(text), true]], false);
      const fd = openSync(path, "r");
      try {
        const zip = { fd, size: fstatSync(fd).size };
        const e = (await readZipDirectory(zip)).entries[0];
        if (!e) throw new Error("no entry");
        return await walkEventEntry(zip, e, tags, 512 * 1024 * 1024);
      } finally {
        closeSync(fd);
      }
    };
    // The chain 2,000 times over (each copy after the first breaks its links): the inflated stream's 16 KB chunks
    // end mid-line and mid-character (an en dash), and the findings are those of the walk over the whole text.
    const whole = Array.from({ length: 2000 }, () => lines.join("").replace("wait", "wait \u2013")).join("");
    const streamed = await walkZip(whole);
    expect(streamed).toEqual(walkEventLines(whole, tags));
    // About 4,000 broken lines: the first 1,000 are listed, the rest counted in one finding.
    expect(streamed.findings).toHaveLength(1001);
    expect(streamed.findings.at(-1)?.detail).toMatch(/^\d+ more findings in events\.jsonl, not listed/);
    // A 17 MB line in the middle is one finding, and the walk goes on with the lines after it.
    const giant = [lines[0], `${"x".repeat(17 * 1024 * 1024)}\n`, ...lines.slice(1)].join("");
    const walked = await walkZip(giant);
    expect(walked.findings.map((f) => [f.subject, f.detail])).toEqual([
      ["events.jsonl line 2", "longer than 16777216 bytes: not an event (the line was changed)"],
    ]);
    expect(walked.events).toBe(lines.length);
    expect(walked.heads.get(1)).toBe(events.at(-1)?.hash);
  });
});
