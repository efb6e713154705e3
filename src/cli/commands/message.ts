/** Messages that come in: `sync`, `import`, `received`, `show-message`, `file`, `classify`. */
import { REPLY_CLASSES } from "../../domain/reply-classes.js";
import { type CommandModule, lazy } from "../command.js";
import type { Context } from "../context.js";

async function runShowMessage(ctx: Context, ref: string): Promise<number> {
  const { messageDetails } = await import("../../app/messages.js");
  const m = messageDetails(ctx, ref);
  ctx.out.result({ message: m }, () =>
    [
      `Message ${m.id}  ${m.direction === "in" ? "received" : "letter out"}  ${m.caseTag ? `case ${m.caseTag}` : "UNFILED"}  class: ${m.replyClass ?? "-"}`,
      `From: ${m.from ?? ""}`,
      `To: ${m.to.join(", ")}`,
      `Subject: ${m.subject ?? ""}`,
      `Date: ${m.date ?? "(none)"}`,
      `Message-ID: ${m.messageId ?? "(none)"}`,
      `SHA-256: ${m.rawSha256} (${m.size} bytes)`,
      ...(m.smtp
        ? [
            `Outbox: ${m.state ?? ""}${m.smtp.response ? ` (${m.smtp.response})` : ""}${m.smtp.rejected?.length ? `; refused: ${m.smtp.rejected.join(", ")}` : ""}`,
          ]
        : []),
      ...m.origins.map((o) => `Seen in: ${o.account}/${o.mailbox} UID ${o.uid}`),
      ...m.attachments.map((a) => `Attachment: ${a.fileName} (${a.contentType}, ${a.size} bytes)`),
      "",
      (m.bodyText ?? "(no text part)").trimEnd(),
    ].join("\n"),
  );
  return 0;
}

async function runFile(ctx: Context, ref: string, caseRef: string): Promise<number> {
  const { fileMessage } = await import("../../app/messages.js");
  const { message: m, case: c } = fileMessage(ctx, ref, caseRef);
  ctx.out.result({ message: m.id, case: c.tag }, () => `Filed message ${m.id} to ${c.tag}.`);
  return 0;
}

async function runClassify(ctx: Context, ref: string, cls: string): Promise<number> {
  const { classifyMessage } = await import("../../app/messages.js");
  const m = classifyMessage(ctx, ref, cls);
  ctx.out.result(
    { message: m.id, class: cls, previous: m.replyClass },
    () => `Message ${m.id} is now ${cls} (was ${m.replyClass ?? "unclassified"}).`,
  );
  return 0;
}

export const messageCommands: CommandModule = {
  commands: [
    {
      name: "sync",
      description: "fetch replies over IMAP (read-only) and file them to their cases",
      run: lazy(
        () => import("./sync.js"),
        (m) => m.runSync,
      ),
    },
    {
      name: "import <files...>",
      description: "import saved .eml messages through the same path as sync",
      run: lazy(
        () => import("./sync.js"),
        (m) => m.runImport,
      ),
    },
    {
      name: "received <case>",
      description: "record a reply that came on paper or through a portal, with its scan",
      options: [
        { flags: "--date <date>", description: "the day it arrived (YYYY-MM-DD)" },
        { flags: "--file <scan>", description: "the scan or download" },
        { flags: "--via <how>", description: "how it came", choices: ["post", "portal", "fax"] },
        { flags: "--class <class>", description: "what it is", choices: REPLY_CLASSES },
      ],
      run: lazy(
        () => import("./received.js"),
        (m) => m.runReceived,
      ),
    },
    {
      name: "show-message <msg>",
      description: "show one stored message: headers, class, case, where it was seen, text",
      run: runShowMessage,
    },
    {
      name: "file <msg> <case>",
      description: "file a received message to a case",
      run: runFile,
    },
    {
      name: "classify <msg> <class>",
      description:
        "correct a reply's class (acknowledgment, extension, exception, documents-requested, response, other)",
      run: runClassify,
    },
  ],
};
