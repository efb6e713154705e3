/**
 * Which channel a letter takes (docs/ARCHITECTURE.md, "Letters and channels"). The channel, not the label, decides a letter's legal effect:
 * a formal notice goes to the designated notice address (by email only if that address takes email, else by
 * post); a payoff request goes to the payoff channel; everything else to correspondence email.
 */
import { UserError } from "../errors.js";
import { canBeFormal, type KindDef } from "./kinds.js";

export type LetterChannel = "email" | "notice-email" | "post";

export interface ServicerChannels {
  name: string;
  email: string;
  noticeEmail: string | null;
  noticeAddress: string | null;
  payoffEmail: string | null;
  payoffAddress: string | null;
}

export interface ChannelDecision {
  channel: LetterChannel;
  formal: boolean;
  /** Email recipient, null for post. */
  to: string | null;
  /** Postal address for post, null for email. */
  postalAddress: string | null;
  warnings: string[];
}

/**
 * Decide formality and channel. `formalFlag` is undefined when the user said nothing (the kind's default
 * applies), true for --formal, false for --no-formal. `to` is an explicit --to address.
 */
export function decideChannel(
  kind: KindDef,
  servicer: ServicerChannels,
  formalFlag: boolean | undefined,
  to?: string,
): ChannelDecision {
  if (formalFlag === true && !canBeFormal(kind)) {
    throw new UserError(`${kind.id} has no formal form`, {
      code: "KIND_NOT_FORMAL",
      hint: "only notices of error and requests for information are formal (drop --formal)",
    });
  }
  const formal = canBeFormal(kind) ? (formalFlag ?? kind.formalByDefault) : false;
  const warnings: string[] = [];

  if (to) {
    if (formal && servicer.noticeEmail && to.toLowerCase() === servicer.noticeEmail.toLowerCase()) {
      return { channel: "notice-email", formal, to, postalAddress: null, warnings };
    }
    if (formal) {
      warnings.push(
        `${to} is not ${servicer.name}'s designated notice address: Reg X response clocks will not start from this email`,
      );
    }
    return { channel: "email", formal, to, postalAddress: null, warnings };
  }

  if (kind.substance === "payoff") {
    if (servicer.payoffEmail)
      return { channel: "email", formal, to: servicer.payoffEmail, postalAddress: null, warnings };
    if (servicer.payoffAddress) {
      return { channel: "post", formal, to: null, postalAddress: servicer.payoffAddress, warnings };
    }
    warnings.push(
      `${servicer.name} has no payoff channel recorded; writing to its correspondence address (set one with servicer set --payoff-email or --payoff-address)`,
    );
    return { channel: "email", formal, to: servicer.email, postalAddress: null, warnings };
  }

  if (kind.signedByBorrowers) {
    // Signed on paper by every borrower: it leaves as a printed PDF, by post to the servicer's address for written
    // notices when one is recorded; otherwise the signed PDF is uploaded or faxed (`send` refuses an email body).
    if (servicer.noticeAddress) {
      return { channel: "post", formal, to: null, postalAddress: servicer.noticeAddress, warnings };
    }
    warnings.push(
      `${servicer.name} has no postal address recorded: print this letter, have every borrower sign it, and upload or fax the signed copy (or record an address with servicer set --notice-address)`,
    );
    return { channel: "email", formal, to: servicer.email, postalAddress: null, warnings };
  }

  if (formal) {
    if (servicer.noticeEmail) {
      return { channel: "notice-email", formal, to: servicer.noticeEmail, postalAddress: null, warnings };
    }
    if (servicer.noticeAddress) {
      return { channel: "post", formal, to: null, postalAddress: servicer.noticeAddress, warnings };
    }
    throw new UserError(
      `${servicer.name} has no designated address for notices of error and requests for information`,
      {
        code: "NO_NOTICE_ADDRESS",
        hint:
          `copy it from your periodic statement: loanmail servicer set "${servicer.name}" --notice-address "..." ` +
          "(or --notice-email ADDR if that address takes email), or send it informally with --no-formal",
      },
    );
  }
  return { channel: "email", formal, to: servicer.email, postalAddress: null, warnings };
}
