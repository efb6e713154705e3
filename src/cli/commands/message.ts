/** Messages that come in: `sync`, `import`, `received`, `show-message`, `file`, `classify`. */
import { REPLY_CLASSES } from "../../domain/reply-classes.js";
import { type CommandModule, lazy } from "../command.js";

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
      run: lazy(
        () => import("./messages.js"),
        (m) => m.runShowMessage,
      ),
    },
    {
      name: "file <msg> <case>",
      description: "file a received message to a case",
      run: lazy(
        () => import("./messages.js"),
        (m) => m.runFile,
      ),
    },
    {
      name: "classify <msg> <class>",
      description:
        "correct a reply's class (acknowledgment, extension, exception, documents-requested, response, other)",
      run: lazy(
        () => import("./messages.js"),
        (m) => m.runClassify,
      ),
    },
  ],
};
