/**
 * `--verify-dkim`, in process and without DNS: a reply signed with a test key (mailauth's own signer) verifies
 * against the public key a fake resolver hands out; the same reply with its body changed does not, and is
 * suspect. Also: the checks on the one ingest path for synced mail (INTERNALDATE is the arrival).
 */
import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { dkimSign } from "mailauth/lib/dkim/sign.js";
import { describe, expect, it } from "vitest";
import { importMessageFiles } from "../../src/app/import-files.js";
import type { DnsResolver } from "../../src/mail/dkim.js";
import { findMessage } from "../../src/store/messages.js";
import { eml, makeWorld, NOW, type World } from "./world.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PUBLIC_KEY = publicKey.export({ type: "spki", format: "der" }).toString("base64");

/** DNS as the test needs it: the one selector record of servicer.test, nothing else. */
const lookups: string[] = [];
const resolver: DnsResolver = async (name, rrtype) => {
  lookups.push(`${name} ${rrtype}`);
  if (name === "s2026._domainkey.servicer.test" && rrtype === "TXT") return [[`v=DKIM1; k=rsa; p=${PUBLIC_KEY}`]];
  throw Object.assign(new Error(`no ${rrtype} record for ${name}`), { code: "ENOTFOUND" });
};

async function signed(body: string): Promise<Buffer> {
  const message = eml(
    [
      "From: Mr. Cooper <help@servicer.test>",
      "To: jane@example.test",
      "Subject: Your statement",
      "Date: Tue, 13 Oct 2026 10:00:00 -0500",
      "Message-ID: <signed-1@servicer.test>",
    ],
    body,
  );
  // mailauth takes its signers as `signatureData` (its type declarations name an older, flat shape).
  const options = {
    canonicalization: "relaxed/relaxed",
    signatureData: [
      {
        signingDomain: "servicer.test",
        selector: "s2026",
        privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      },
    ],
  } as unknown as Parameters<typeof dkimSign>[1];
  const { signatures } = await dkimSign(message, options);
  return Buffer.concat([Buffer.from(signatures), message]);
}

async function importWithDkim(w: World, name: string, bytes: Buffer) {
  const file = join(w.dir, name);
  writeFileSync(file, bytes);
  const [r] = await importMessageFiles(
    { db: w.db, prefix: w.prefix, now: () => NOW, config: () => w.config, dkim: { resolver } },
    [file],
  );
  return findMessage(w.db, r?.messageRowId ?? 0);
}

describe("--verify-dkim with a fake resolver", () => {
  it("a signature of the servicer's domain that verifies: trusted, and the record says so", async () => {
    const w = makeWorld();
    const m = await importWithDkim(w, "good.eml", await signed("Your October statement is ready."));
    expect(lookups).toContain("s2026._domainkey.servicer.test TXT");
    expect(m?.trust).toBe("trusted");
    expect(m?.trustWhy).toEqual([
      "From help@servicer.test is Mr. Cooper's (address help@servicer.test)",
      "DKIM signature of servicer.test verified",
    ]);
  });

  it("the same message with its body changed after signing: suspect, naming the failure", async () => {
    const w = makeWorld();
    const good = await signed("Your October statement is ready.");
    const forged = Buffer.from(
      good.toString("latin1").replace("Your October statement is ready.", "Log in at https://evil.test to pay."),
      "latin1",
    );
    const m = await importWithDkim(w, "forged.eml", forged);
    expect(m?.trust).toBe("suspect");
    expect(m?.trustWhy[0]).toMatch(/^the DKIM signature of servicer\.test does not verify \((neutral|fail): body hash/);
  });

  it("a signature whose key is no longer published is noted, not held against the reply", async () => {
    const w = makeWorld();
    const good = await signed("Your October statement is ready.");
    const rotated = Buffer.from(good.toString("latin1").replace("s=s2026", "s=s2019"), "latin1");
    const m = await importWithDkim(w, "rotated.eml", rotated);
    expect(m?.trust).toBe("trusted");
    expect(m?.trustWhy[1]).toMatch(/^DKIM could not be checked for servicer\.test/);
  });
});
