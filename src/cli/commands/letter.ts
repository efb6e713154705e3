/** Letters: `kinds`, `compose`, `edit`, `mailed`, `send`, `sent`. */
import { canBeFormal, KINDS } from "../../domain/kinds.js";
import { type CommandModule, lazy } from "../command.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";

/** `loanmail kinds`: the letter kinds table, from domain/kinds.ts. */
function runKinds(ctx: Context): number {
  const kinds = [...KINDS.values()].map((k) => ({
    id: k.id,
    label: k.label,
    asks: k.asks,
    substance: k.substance,
    formal: k.formalByDefault ? "default" : canBeFormal(k) ? "with --formal" : "no",
    citation: k.citation ?? null,
    fields: k.fields.map((f) => ({
      name: f.name,
      type: f.type,
      required: f.required,
      description: f.description,
      ...(f.values ? { values: f.values } : {}),
    })),
  }));
  ctx.out.result({ kinds }, () =>
    formatTable(
      ["KIND", "SUBJECT LABEL", "FORMAL", "FIELDS (optional in brackets)"],
      kinds.map((k) => [
        k.id,
        k.label,
        k.formal,
        k.fields.map((f) => (f.required ? f.name : `[${f.name}]`)).join(" ") || "-",
      ]),
    ),
  );
  return 0;
}

export const letterCommands: CommandModule = {
  commands: [
    {
      name: "kinds",
      description: "letter kinds, their subject labels and fields",
      run: runKinds,
    },
    {
      name: "compose <kind>",
      description: "compose a letter of KIND as a draft (nothing is sent)",
      options: [
        { flags: "--loan <loan>", description: "loan id or account number: opens a new case" },
        { flags: "--case <case>", description: "add the letter to this existing case" },
        { flags: "--set <name=value>", description: "a field of the kind (repeat)", repeat: true },
        { flags: "--summary <text>", description: "one paragraph: what happened, with dates and amounts" },
        { flags: "--body-file <file>", description: "read the summary paragraph from a file" },
        {
          flags: "--attach <file[=label]>",
          description: "attach a PDF, JPEG or PNG as the next exhibit (repeat)",
          repeat: true,
        },
        { flags: "--formal", description: "send as a formal notice to the designated address" },
        { flags: "--no-formal", description: "send a formal-by-default kind as ordinary correspondence" },
        { flags: "--to <addr>", description: "send to this address instead of the one the channel rules choose" },
        { flags: "--cc <addr>", description: "copy to (repeat)", repeat: true },
        {
          flags: "--allow-sensitive",
          description: "send even though the letter seems to contain an SSN or a full bank/card number",
        },
      ],
      run: lazy(
        () => import("./compose.js"),
        (m) => m.runCompose,
      ),
    },
    {
      name: "edit <case>",
      description: "edit a case's draft in $EDITOR; the letter is rebuilt and checked again",
      options: [
        { flags: "--allow-sensitive", description: "accept an SSN or a full bank/card number in the edited text" },
      ],
      run: lazy(
        () => import("./edit.js"),
        (m) => m.runEdit,
      ),
    },
    {
      name: "mailed <case>",
      description: "record a letter sent by certified mail, and later its delivery",
      options: [
        { flags: "--tracking <number>", description: "the certified-mail tracking number" },
        { flags: "--date <date>", description: "the day it was mailed (YYYY-MM-DD; default today)" },
        { flags: "--delivered <date>", description: "the day tracking shows it delivered (YYYY-MM-DD)" },
      ],
      run: lazy(
        () => import("./mailed.js"),
        (m) => m.runMailed,
      ),
    },
    {
      name: "send <case>",
      description: "send the case's drafts over SMTP, exactly once",
      options: [
        { flags: "--dry-run", description: "show what would go and to whom; send nothing" },
        {
          flags: "--resend-unknown <msg>",
          description: "resend a letter whose outcome is unknown (only if you are sure it did not arrive)",
        },
      ],
      run: lazy(
        () => import("./send.js"),
        (m) => m.runSend,
      ),
    },
    {
      name: "sent <case>",
      description: "record a letter that left another way (portal, fax, by hand)",
      options: [
        { flags: "--via <how>", description: "how it left", choices: ["portal", "fax", "hand"] },
        { flags: "--date <date>", description: "the day it left (YYYY-MM-DD)" },
        { flags: "--file <file>", description: "a confirmation or receipt to keep with it" },
      ],
      run: lazy(
        () => import("./send.js"),
        (m) => m.runSent,
      ),
    },
  ],
};
