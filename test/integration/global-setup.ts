/**
 * Start the mail lab once for all integration tests; a lab that cannot start fails the run. A lab this run
 * started is stopped at the end; one that was already up (a developer's) is left running.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { resolve } from "node:path";

const SCRIPT = resolve(import.meta.dirname, "../../scripts/mail-lab.sh");

function lab(command: string): void {
  // Output goes to a string, not to inherited pipes: the Dovecot master would otherwise keep them open.
  execFileSync("bash", [SCRIPT, command], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 600_000 });
}

export default function setup(): () => void {
  const wasRunning = spawnSync("bash", [SCRIPT, "status"], { stdio: "ignore" }).status === 0;
  try {
    lab("start");
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `the mail lab did not start (scripts/mail-lab.sh start):\n${e.stdout ?? ""}${e.stderr ?? e.message}`,
    );
  }
  return () => {
    if (!wasRunning) lab("stop");
  };
}
