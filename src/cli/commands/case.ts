/** Cases: `cases`, `show`, `discard`, `note`, `call`, `event`, `filed`, `escalate`, `resolve`. */
import { type CommandModule, lazy } from "../command.js";

export const caseCommands: CommandModule = {
  commands: [
    {
      name: "cases",
      description: "list cases",
      options: [
        {
          flags: "--status <status>",
          description: "only cases in this status",
          choices: ["draft", "open", "discarded", "resolved", "unresolved"],
        },
      ],
      run: lazy(
        () => import("./cases.js"),
        (m) => m.runCases,
      ),
    },
    {
      name: "show <case>",
      description: "show a case: its letters, exhibits, channel, state and events",
      options: [
        { flags: "--pdf <file>", description: "write the case's latest letter as a printable PDF" },
        { flags: "--as-of <date>", description: "show the clocks as of this date (YYYY-MM-DD)" },
      ],
      run: lazy(
        () => import("./show.js"),
        (m) => m.runShow,
      ),
    },
    {
      name: "discard <case>",
      description: "discard a case that was never sent (its records are kept)",
      run: lazy(
        () => import("./case-actions.js"),
        (m) => m.runDiscard,
      ),
    },
    {
      name: "note <case> <text>",
      description: "add a note to a case's record",
      run: lazy(
        () => import("./case-actions.js"),
        (m) => m.runNote,
      ),
    },
    {
      name: "call <case>",
      description: "record a phone call about a case",
      options: [
        { flags: "--with <name>", description: "who you spoke with (name, ID, department)" },
        { flags: "--summary <text>", description: "what was said and promised" },
        {
          flags: "--date <when>",
          description: "when the call took place (YYYY-MM-DD or YYYY-MM-DDTHH:MM; default now)",
        },
      ],
      run: lazy(
        () => import("./case-actions.js"),
        (m) => m.runCall,
      ),
    },
    {
      name: "event <case> <type>",
      description: "record a dated event that starts a clock: paid-off, application-complete, denied",
      options: [
        { flags: "--date <date>", description: "when it happened (YYYY-MM-DD)" },
        { flags: "--sale-date <date>", description: "a scheduled foreclosure sale date, if any" },
      ],
      run: lazy(
        () => import("./clocks.js"),
        (m) => m.runEvent,
      ),
    },
    {
      name: "filed <case>",
      description: "record a CFPB complaint about the case (starts the CFPB process clocks)",
      options: [
        { flags: "--cfpb-id <id>", description: "the complaint number" },
        { flags: "--date <date>", description: "the day it was sent to the company (YYYY-MM-DD)" },
      ],
      run: lazy(
        () => import("./clocks.js"),
        (m) => m.runFiled,
      ),
    },
    {
      name: "escalate <case>",
      description: "draft the next step of the escalation ladder as a child case citing the history",
      options: [{ flags: "--as-of <date>", description: "judge the clocks as of this date (YYYY-MM-DD)" }],
      run: lazy(
        () => import("./escalate.js"),
        (m) => m.runEscalate,
      ),
    },
    {
      name: "resolve <case>",
      description: "close a case as resolved, or mark it unresolved (a trigger to escalate)",
      options: [{ flags: "--unresolved", description: "the servicer's answer did not resolve it" }],
      run: lazy(
        () => import("./escalate.js"),
        (m) => m.runResolve,
      ),
    },
  ],
};
