/**
 * What a counselor's letter carries because of its authorization (src/app/authorization-gate.ts): the refusal
 * when none is valid on the day it is written, the signed form as its first exhibit when no earlier letter of the
 * loan carries it, and the "on behalf of" words of its signature (src/domain/letter.ts).
 */
import type { IsoDate } from "../domain/calendar.js";
import type { LetterLanguage } from "../domain/language.js";
import type { OnBehalf } from "../domain/letter.js";
import type { Authorization } from "../store/authorizations.js";
import type { Db } from "../store/db.js";
import type { Loan } from "../store/loans.js";
import { getBlob } from "../store/messages.js";
import { type Exhibit, exhibitOfBytes } from "./attachments.js";
import { formToCarry, requireAuthority } from "./authorization-gate.js";
import { counselorHome } from "./counselor-home.js";

export interface ComposeAuthority {
  authorization: Authorization;
  /** The signed form as the letter's first exhibit, or undefined when an earlier letter carried it. */
  form: Exhibit | undefined;
  onBehalf: OnBehalf;
}

/**
 * The authority a letter of `kind` on the addressed `loan`, written on `on`, goes under; undefined when none is
 * needed. `carryForm` decides for a copy (compose --copy-to) what its formal letter decided.
 */
export async function composeAuthority(
  db: Db,
  loan: Loan,
  kind: string,
  on: IsoDate,
  firstPosition: number,
  carryForm?: boolean,
  lang: LetterLanguage = "en",
): Promise<ComposeAuthority | undefined> {
  const authorization = requireAuthority(db, loan, kind, on, "compose");
  const home = counselorHome(db);
  if (!authorization || !home) return undefined;
  const stored =
    carryForm === undefined
      ? formToCarry(db, loan.id, authorization)
      : carryForm
        ? { data: getBlob(db, authorization.fileSha256) ?? Buffer.alloc(0) }
        : undefined;
  const label =
    lang === "es"
      ? `Autorización de terceros firmada el ${authorization.signedOn}`
      : `Third-party authorization signed ${authorization.signedOn}`;
  const form = stored
    ? await exhibitOfBytes(stored.data, label, firstPosition, `authorization ${authorization.id}`, lang)
    : undefined;
  return {
    authorization,
    form,
    onBehalf: {
      counselor: home.counselor.name,
      agency: home.agency.name,
      hudAgencyId: home.agency.hud_id,
      borrowers: authorization.signers,
      signedOn: authorization.signedOn,
      formExhibit: form?.exhibit ?? null,
    },
  };
}
