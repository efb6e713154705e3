/**
 * Who a letter speaks as (docs/ARCHITECTURE.md, "Letters and channels"): the borrower writing for themself, or a
 * housing counselor writing on the borrowers' behalf under their authorization (a counselor's home). A counselor
 * is not the one who paid, applied or wrote the earlier letter: in the counselor's voice the borrower's acts are
 * the borrower's ("the borrower's payment", "the letter of June 1, 2026"), never "my payment", "my letter". The
 * counselor's voice calls the client "the borrower" ("el prestatario"), Regulation X's word and the one the
 * letter's "Borrower:" line and on-behalf words name; a successor in interest, who is not yet a borrower, is "my
 * client" ("mi cliente"), and "the borrower" there is the one the property came from. Pure.
 */
export type LetterVoice = "borrower" | "counselor";

/** A letter written on someone's behalf (its on-behalf words set) is in the counselor's voice, any other the borrower's. */
export function voiceOf(onBehalf: object | null | undefined): LetterVoice {
  return onBehalf ? "counselor" : "borrower";
}

/**
 * The client as a counselor's complaint names them, counted: "the borrower" or, when several signed, "the
 * borrowers"; `possessive` gives "the borrower's" / "the borrowers'".
 */
export function theBorrowers(count: number, possessive = false): string {
  if (count > 1) return possessive ? "the borrowers'" : "the borrowers";
  return possessive ? "the borrower's" : "the borrower";
}
