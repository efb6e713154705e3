/** Clocks: `due`, `deadline`, `calendar`, `stats`. */
import { type CommandModule, lazy } from "../command.js";

const asOf = { flags: "--as-of <date>", description: "as if today were this date (YYYY-MM-DD)" };

export const clockCommands: CommandModule = {
  commands: [
    {
      name: "due",
      description: "open clocks, soonest first; late ones with how many business days late",
      options: [
        { flags: "--within <days>", description: "only clocks due within this many days (late ones always)" },
        asOf,
        { flags: "--check", description: "exit 3 when any servicer clock is late (for cron)" },
      ],
      run: lazy(
        () => import("./clocks.js"),
        (m) => m.runDue,
      ),
    },
    {
      name: "deadline <kind>",
      description: "the clocks a letter of KIND would start if received on a date",
      options: [
        { flags: "--received <date>", description: "the day the servicer would receive it (YYYY-MM-DD)" },
        { flags: "--set <name=value>", description: "a field of the kind (repeat)", repeat: true },
      ],
      run: lazy(
        () => import("./clocks.js"),
        (m) => m.runDeadline,
      ),
    },
    {
      name: "stats",
      description: "per servicer and kind: business days to acknowledgment and to response, share on time",
      options: [asOf],
      run: lazy(
        () => import("./stats.js"),
        (m) => m.runStats,
      ),
    },
    {
      name: "calendar",
      description: "write every open clock as an all-day event to an .ics file",
      options: [{ flags: "--out <file>", description: "the .ics file to write" }, asOf],
      run: lazy(
        () => import("./stats.js"),
        (m) => m.runCalendar,
      ),
    },
  ],
};
