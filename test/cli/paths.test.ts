/**
 * Paths and files, end to end (issue 13, "Paths" and "Refusals change nothing"): loanmail writes only regular
 * files (never a device, FIFO, socket, folder or link; an existing file only with --force; through a partial file
 * that a later run cleans up), reads only regular files and only up to a cap (never blocking on a FIFO or reading
 * a device), refuses a home another user could change (run unprivileged: root ignores file modes), runs a
 * password command without a shell unless allowed, and refuses a database it cannot use without changing a byte
 * or its mode. Every user condition is exit 1 naming the path; exit 70 is for bugs.
 *
 * Device nodes are made with mknod in a temporary folder (never the system's /dev entries): c 1 5 behaves as
 * /dev/zero (endless zeros: a read without a cap never ends), c 1 7 as /dev/full (every write is ENOSPC).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:net";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunOptions, type RunResult, rowCounts, run, setupHome, tempDir, writePdf } from "./helpers.js";

const NOBODY = 65534;
const UNPRIVILEGED = ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups"];
/** Nothing here may hang: a CLI still running after this is killed, and the test fails. */
const NO_HANG: RunOptions = { timeoutMs: 20_000 };
const FACTS = "My March payment of $1,500.00 was put in suspense instead of being applied.";
const NOE = ["compose", "notice-of-error", "--set", "error=my March payment of $1,500.00 sits in suspense"];

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

function sh(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** A refused --json command: exit 1, nothing on stdout, one error document; returns its code and message. */
function refusal(r: RunResult): { code: string; message: string; hint: string } {
  expect(r.code, `exit 1, not ${r.code}: ${r.stderr}`).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).not.toContain("internal error");
  return (JSON.parse(r.stderr) as { error: { code: string; message: string; hint: string } }).error;
}

/** The special files a test points loanmail at, made in a folder of its own. */
interface Nodes {
  dir: string;
  zero: string;
  full: string;
  fifo: string;
  socket: string;
  folder: string;
  link: string;
}

const servers: Server[] = [];
const mounts: string[] = [];

async function makeNodes(): Promise<Nodes> {
  const dir = tempDir("loanmail-nodes-");
  const n = {
    dir,
    zero: join(dir, "zero"),
    full: join(dir, "full"),
    fifo: join(dir, "fifo"),
    socket: join(dir, "socket"),
    folder: join(dir, "folder"),
    link: join(dir, "link"),
  };
  sh("mknod", ["-m", "600", n.zero, "c", "1", "5"]);
  sh("mknod", ["-m", "600", n.full, "c", "1", "7"]);
  sh("mkfifo", ["-m", "600", n.fifo]);
  mkdirSync(n.folder);
  writeFileSync(join(dir, "target.txt"), "a file a link points to\n");
  symlinkSync(join(dir, "target.txt"), n.link);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(n.socket, resolve));
  servers.push(server);
  return n;
}

/** What is at `path`, for checking that a refusal left it as it was. */
function kindAt(path: string): string {
  const st = lstatSync(path);
  if (st.isCharacterDevice()) return `char ${st.rdev}`;
  if (st.isFIFO()) return "fifo";
  if (st.isSocket()) return "socket";
  if (st.isDirectory()) return `folder ${readdirSync(path).length}`;
  if (st.isSymbolicLink()) return "link";
  return `file ${sha256(path)}`;
}

const partials = (dir: string) => readdirSync(dir).filter((n) => n.endsWith(".partial"));

afterAll(async () => {
  for (const s of servers) await new Promise((resolve) => s.close(resolve));
  for (const m of mounts) spawnSync("umount", [m]);
});

/** A home with one draft (case 1): enough for every command that writes a file. */
function homeWithDraft(): { home: string; L: (...args: string[]) => RunResult } {
  const { home } = setupHome();
  const L = (...args: string[]) => run(["--home", home, ...args], NO_HANG);
  ok(L(...NOE, "--loan", "1", "--summary", FACTS));
  return { home, L };
}

/** Each command that writes a file the user names, writing to `path`. */
const WRITERS: [string, (path: string) => string[]][] = [
  ["export --out", (p) => ["export", "1", "--out", p]],
  ["calendar --out", (p) => ["calendar", "--out", p]],
  ["timeline --out", (p) => ["timeline", "1", "--out", p]],
  ["show --pdf", (p) => ["show", "1", "--pdf", p]],
  ["backup --out", (p) => ["backup", "--out", p]],
];

describe("outputs are written only as regular files", () => {
  let home: string;
  let L: (...args: string[]) => RunResult;
  let n: Nodes;
  beforeAll(async () => {
    ({ home, L } = homeWithDraft());
    n = await makeNodes();
  });

  it.each(WRITERS)("%s refuses a device, FIFO, socket, folder or link, with or without --force", (_name, args) => {
    const before = rowCounts(home);
    const cases: [string, boolean, string][] = [
      [n.zero, false, "OUTPUT_NOT_A_FILE"],
      [n.zero, true, "OUTPUT_NOT_A_FILE"],
      [n.full, true, "OUTPUT_NOT_A_FILE"],
      [n.fifo, false, "OUTPUT_NOT_A_FILE"],
      [n.fifo, true, "OUTPUT_NOT_A_FILE"],
      [n.socket, false, "OUTPUT_NOT_A_FILE"],
      [n.link, true, "OUTPUT_NOT_A_FILE"],
      [n.folder, true, args("x")[0] === "backup" ? "OUT_IS_FOLDER" : "OUTPUT_IS_DIRECTORY"],
    ];
    for (const [path, force, code] of cases) {
      const kind = kindAt(path);
      const e = refusal(L("--json", ...args(path), ...(force ? ["--force"] : [])));
      expect(e.code, `${path}${force ? " --force" : ""}`).toBe(code);
      expect(e.message).toContain(path);
      // The node is still what it was: loanmail never renamed a file over it.
      expect(kindAt(path)).toBe(kind);
    }
    expect(kindAt(join(n.dir, "target.txt"))).toMatch(/^file /);
    expect(partials(n.dir)).toEqual([]);
    expect(rowCounts(home), "no exported or printed event, nothing kept").toEqual(before);
  });

  it.each(WRITERS)("%s replaces an existing file only with --force", (_name, args) => {
    const dir = tempDir();
    const path = join(dir, "existing.out");
    writeFileSync(path, "the user's own file\n", { mode: 0o644 });
    const before = rowCounts(home);
    const e = refusal(L("--json", ...args(path)));
    expect(e.code).toBe("OUTPUT_EXISTS");
    expect(e.message).toBe(`${args(path).at(-2)} ${path} already exists`);
    expect(e.hint).toMatch(/--force/);
    expect(readFileSync(path, "utf8")).toBe("the user's own file\n");
    expect(rowCounts(home)).toEqual(before);

    ok(L(...args(path), "--force"));
    expect(readFileSync(path, "utf8")).not.toBe("the user's own file\n");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(partials(dir)).toEqual([]);
  });

  it("--force never replaces the home's own database or config.toml", () => {
    const before = rowCounts(home);
    for (const name of ["loanmail.db", "config.toml"]) {
      const target = join(home, name);
      const bytes = readFileSync(target);
      const e = refusal(L("--json", "export", "1", "--out", target, "--force"));
      expect(e.code).toBe("OUTPUT_IS_HOME_FILE");
      expect(e.message).toContain(`${target} is a loanmail home's own file: --force never replaces it`);
      expect(readFileSync(target).equals(bytes)).toBe(true);
    }
    expect(rowCounts(home)).toEqual(before);
  });

  it("a partial file left by a killed run is removed by the next run to that path; others are left alone", () => {
    const dir = tempDir();
    const out = join(dir, "case.zip");
    // A process that has exited: its pid is no longer running.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const stale = join(dir, `.case.zip.${dead}.partial`);
    const live = join(dir, `.case.zip.${process.pid}.partial`);
    const other = join(dir, `.other.zip.${dead}.partial`);
    for (const p of [stale, live, other]) writeFileSync(p, "half a zip");
    ok(L("export", "1", "--out", out));
    expect(existsSync(stale), "the dead run's partial file is gone").toBe(false);
    expect(existsSync(live), "a running process's partial file stays").toBe(true);
    expect(existsSync(other), "another target's partial file stays").toBe(true);
    expect(readdirSync(dir).sort()).toEqual(
      [`.case.zip.${process.pid}.partial`, `.other.zip.${dead}.partial`, "case.zip"].sort(),
    );
  });

  it("a full disk is exit 1 naming it, leaves no partial file and records nothing (a small tmpfs)", () => {
    const mnt = tempDir("loanmail-full-");
    sh("mount", ["-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mnt]);
    mounts.push(mnt);
    // Fill it: dd stops when the disk is full.
    spawnSync("dd", ["if=/dev/zero", `of=${join(mnt, "fill")}`, "bs=4k"]);
    const before = rowCounts(home);
    for (const [name, args] of WRITERS) {
      const path = join(mnt, "out");
      const e = refusal(L("--json", ...args(path)));
      expect(e.code, name).toBe("OUTPUT_DISK_FULL");
      expect(e.message).toContain(path);
      expect(e.message).toMatch(/the disk is full \(ENOSPC\)/);
      expect(readdirSync(mnt), name).toEqual(["fill"]);
    }
    expect(rowCounts(home), "no printed or exported event").toEqual(before);
  });
});

describe("inputs are read only from regular files, within a cap", () => {
  let home: string;
  let L: (...args: string[]) => RunResult;
  let n: Nodes;
  beforeAll(async () => {
    ({ home, L } = homeWithDraft());
    n = await makeNodes();
    // Case 2: a letter that left on 2026-11-02, so that a reply to it can be recorded.
    ok(L(...NOE, "--loan", "1", "--summary", FACTS, "--dated", "2026-11-02"));
    ok(L("mailed", "2", "--tracking", "9407111899560000000201", "--date", "2026-11-02"));
    // Case 3: a draft written 2026-11-02 that left by a portal.
    ok(L(...NOE, "--loan", "1", "--summary", FACTS, "--dated", "2026-11-02"));
  });

  const READERS: [string, (path: string) => string[]][] = [
    ["compose --body-file", (p) => [...NOE, "--loan", "1", "--body-file", p]],
    ["compose --attach", (p) => [...NOE, "--loan", "1", "--summary", FACTS, "--attach", p]],
    ["received --file", (p) => ["received", "2", "--date", "2026-11-10", "--class", "acknowledgment", "--file", p]],
    ["sent --file", (p) => ["sent", "3", "--via", "portal", "--date", "2026-11-03", "--file", p]],
    [
      "authorization add --file",
      (p) => [
        "authorization",
        "add",
        "--loan",
        "1",
        "--authorized",
        "HUD counselor",
        "--signed-on",
        "2026-11-02",
        "--file",
        p,
      ],
    ],
    ["import", (p) => ["import", p]],
    ["verify", (p) => ["verify", p]],
  ];

  it.each(READERS)("%s refuses a device, a FIFO and a folder at once, by name", (name, args) => {
    const before = rowCounts(home);
    const flag = args("X").at(-2) ?? "";
    for (const path of [n.zero, n.fifo, n.socket, ...(name === "import" ? [] : [n.folder])]) {
      const kind = kindAt(path);
      const started = Date.now();
      const e = refusal(L("--json", ...args(path)));
      expect(Date.now() - started, "refused without waiting or reading").toBeLessThan(15_000);
      expect(e.code, path).toBe("NOT_A_FILE");
      expect(e.message).toContain(path);
      expect(e.message).toMatch(/a character device|a FIFO|a socket|a folder/);
      if (flag.startsWith("--")) expect(e.message.startsWith(`${flag} ${path}`), e.message).toBe(true);
      expect(kindAt(path)).toBe(kind);
    }
    expect(rowCounts(home)).toEqual(before);
  });

  it("a file over its cap is refused before it is read: --body-file over 1 MB, scans over limits.attachment_mb", () => {
    const dir = tempDir();
    const body = join(dir, "body.txt");
    writeFileSync(body, Buffer.alloc(1024 * 1024 + 1, "a"));
    const before = rowCounts(home);
    const e = refusal(L("--json", ...NOE, "--loan", "1", "--body-file", body));
    expect(e).toMatchObject({ code: "FILE_TOO_LARGE" });
    expect(e.message).toBe(`--body-file ${body}: 1.0 MB is over the 1 MB limit for a letter's text`);

    const config = join(home, "config.toml");
    const saved = readFileSync(config, "utf8");
    writeFileSync(config, saved.replace(/^attachment_mb = .*$/m, "attachment_mb = 0.001"));
    const scan = writePdf(join(dir, "scan.pdf"));
    writeFileSync(scan, Buffer.concat([readFileSync(scan), Buffer.alloc(2000, " ")]));
    for (const args of [
      ["received", "2", "--date", "2026-11-10", "--class", "acknowledgment", "--file", scan],
      ["sent", "3", "--via", "portal", "--date", "2026-11-03", "--file", scan],
    ]) {
      const r = refusal(L("--json", ...args));
      expect(r.code).toBe("FILE_TOO_LARGE");
      expect(r.message).toMatch(/--file .*scan\.pdf: 2 KB is over the 0\.001 MB limit for one file/);
    }
    writeFileSync(config, saved);
    expect(rowCounts(home)).toEqual(before);
  });

  it("authorization add names its own --file, not --attach", () => {
    const missing = join(n.dir, "missing.pdf");
    const args = ["authorization", "add", "--loan", "1", "--authorized", "HUD counselor", "--signed-on", "2026-11-02"];
    const e = refusal(L("--json", ...args, "--file", missing));
    expect(e.code).toBe("FILE_NOT_FOUND");
    expect(e.message).toBe(`--file ${missing}: no such file`);
  });

  it("config.toml that is a folder, a link to a device, a FIFO or over 1 MB: exit 1 naming it, no hang", () => {
    const config = join(home, "config.toml");
    const saved = join(n.dir, "config.saved");
    renameSync(config, saved);
    const before = rowCounts(home);
    const shapes: [string, () => void][] = [
      ["a folder", () => mkdirSync(config, { mode: 0o700 })],
      ["a character device", () => symlinkSync(n.zero, config)],
      ["a FIFO (named pipe)", () => symlinkSync(n.fifo, config)],
    ];
    for (const [kind, make] of shapes) {
      make();
      for (const args of [["cases"], ["due"], ["account", "test"], [...NOE, "--loan", "1", "--summary", FACTS]]) {
        const e = refusal(L("--json", ...args));
        expect(e.code, `${kind}: ${args[0]}`).toBe("NOT_A_FILE");
        expect(e.message).toBe(`${config} is ${kind}, not a file`);
      }
      spawnSync("rm", ["-rf", config]);
    }
    writeFileSync(config, `${readFileSync(saved, "utf8")}\n${"#".repeat(1024 * 1024)}\n`, { mode: 0o600 });
    const big = refusal(L("--json", "due"));
    expect(big.code).toBe("FILE_TOO_LARGE");
    expect(big.message).toMatch(/config\.toml: 1\.0 MB is over the 1 MB limit for config\.toml/);
    renameSync(saved, config);
    expect(rowCounts(home)).toEqual(before);
    ok(L("cases"));
  });
});

describe("a home another user could change is refused, saying what fixes it (run unprivileged)", () => {
  const opts: RunOptions = { wrap: UNPRIVILEGED, cwd: "/", ...NO_HANG };
  /** A home that belongs to the unprivileged user, in a folder it can reach. */
  function nobodysHome(): { home: string; U: (...args: string[]) => RunResult } {
    const { home } = setupHome();
    chmodSync(dirname(home), 0o755);
    sh("chown", ["-R", `${NOBODY}:${NOBODY}`, home]);
    const U = (...args: string[]) => run(["--home", home, ...args], opts);
    ok(U("cases"));
    return { home, U };
  }

  it("a home its owner cannot write in (mode 0500) is exit 1 naming the database, not an internal error", () => {
    // The home as a command leaves it (no -wal or -shm file), given to the unprivileged user.
    const { home } = setupHome();
    chmodSync(dirname(home), 0o755);
    sh("chown", ["-R", `${NOBODY}:${NOBODY}`, home]);
    const U = (...args: string[]) => run(["--home", home, ...args], opts);
    const before = rowCounts(home);
    // This test's own read left SQLite's -shm (and an empty -wal) behind, which a command would otherwise reuse.
    for (const f of ["loanmail.db-wal", "loanmail.db-shm"]) {
      const path = join(home, f);
      if (f.endsWith("-wal") && existsSync(path)) expect(statSync(path).size).toBe(0);
      rmSync(path, { force: true });
    }
    chmodSync(home, 0o500);
    try {
      const e = refusal(U("--json", "cases"));
      expect(e.code).toBe("DATABASE_NOT_WRITABLE");
      expect(e.message).toContain(`cannot open ${join(home, "loanmail.db")} for writing`);
    } finally {
      chmodSync(home, 0o700);
    }
    expect(rowCounts(home)).toEqual(before);
  });

  it("the folder writable by others, config.toml or the database group-writable or another user's", () => {
    const { home, U } = nobodysHome();
    const config = join(home, "config.toml");
    const db = join(home, "loanmail.db");
    const before = rowCounts(home);
    const cases: [string, () => void, () => void, RegExp, RegExp][] = [
      [
        "home 0777",
        () => chmodSync(home, 0o777),
        () => chmodSync(home, 0o700),
        /may be changed by its group and everyone \(mode 0777\)/,
        new RegExp(`chmod 700 ${home}$`),
      ],
      [
        "config 0660",
        () => chmodSync(config, 0o660),
        () => chmodSync(config, 0o600),
        /config .* may be changed by its group \(mode 0660\)/,
        new RegExp(`chmod 600 ${config}$`),
      ],
      [
        "database 0606",
        () => chmodSync(db, 0o606),
        () => chmodSync(db, 0o600),
        /database .* may be changed by everyone \(mode 0606\)/,
        new RegExp(`chmod 600 ${db}$`),
      ],
      [
        "config root's",
        () => chownSync(config, 0, 0),
        () => chownSync(config, NOBODY, NOBODY),
        new RegExp(`config ${config} belongs to uid 0, not to you \\(nobody, uid ${NOBODY}\\)`),
        new RegExp(`sudo chown nobody ${config}`),
      ],
      [
        "database root's",
        () => chownSync(db, 0, 0),
        () => chownSync(db, NOBODY, NOBODY),
        /belongs to uid 0, not to you/,
        /sudo chown nobody/,
      ],
    ];
    for (const [what, make, undo, message, hint] of cases) {
      make();
      const config0 = sha256(config);
      for (const args of [["cases"], ["due"], [...NOE, "--loan", "1", "--summary", FACTS]]) {
        const e = refusal(U("--json", ...args));
        expect(e.code, `${what}: ${args[0]}`).toBe("HOME_NOT_PRIVATE");
        expect(e.message).toMatch(message);
        expect(e.hint).toMatch(hint);
      }
      expect(sha256(config)).toBe(config0);
      undo();
      expect(rowCounts(home), what).toEqual(before);
    }
    ok(U("cases"));
  });

  it("init into an existing folder that is 0777 or another user's is refused, and writes nothing there", () => {
    const parent = tempDir();
    chmodSync(parent, 0o755);
    const open = join(parent, "open");
    mkdirSync(open);
    chownSync(open, NOBODY, NOBODY);
    chmodSync(open, 0o777);
    const INIT = [
      "init",
      "--name",
      "Jane Q. Doe",
      "--email",
      "jane@example.test",
      "--address",
      "12 Elm St\\nSpringfield",
    ];
    let e = refusal(run(["--home", open, "--json", ...INIT], opts));
    expect(e.code).toBe("HOME_NOT_PRIVATE");
    expect(e.hint).toBe(`make it yours alone: chmod 700 ${open}`);
    expect(readdirSync(open)).toEqual([]);

    const roots = join(parent, "roots");
    mkdirSync(roots, { mode: 0o755 });
    e = refusal(run(["--home", roots, "--json", ...INIT], opts));
    expect(e.code).toBe("HOME_NOT_PRIVATE");
    expect(e.message).toBe(`the loanmail home ${roots} belongs to uid 0, not to you (nobody, uid ${NOBODY})`);
    expect(readdirSync(roots)).toEqual([]);
  });

  it("a password command runs without a shell unless password_command_shell = true", () => {
    const { home, U } = nobodysHome();
    const config = join(home, "config.toml");
    const work = tempDir();
    chmodSync(work, 0o777);
    const base = readFileSync(config, "utf8");
    const account = (secret: string) =>
      `${base}\n[accounts.default]\nemail = "jane@example.test"\nsmtp = { host = "smtp.mail.test", port = 587, security = "starttls" }\nimap = { host = "imap.mail.test", port = 993, security = "tls" }\n${secret}\n`;
    const setConfig = (text: string) => {
      writeFileSync(config, text);
      chownSync(config, NOBODY, NOBODY);
    };

    // What another user would write: refused, and nothing runs.
    setConfig(account(`password_command = "id > ${work}/pwned.txt"`));
    let e = refusal(U("--json", "account", "test"));
    expect(e.code).toBe("PASSWORD_COMMAND_NEEDS_SHELL");
    expect(e.message).toBe(
      `account "default": password_command "id > ${work}/pwned.txt" needs a shell (it has ">"), and running it with one was not allowed`,
    );
    expect(readdirSync(work)).toEqual([]);

    // Plain words run as a program and its arguments: `touch` makes one file (it prints no password).
    setConfig(account(`password_command = "touch ${work}/plain"`));
    e = refusal(U("--json", "account", "test"));
    expect(e.code).toBe("SECRET_COMMAND_EMPTY");
    expect(readdirSync(work)).toEqual(["plain"]);

    // A TOML list is the program and its arguments as written: no shell sees the `;`.
    setConfig(account(`password_command = ["touch", "${work}/a;b"]`));
    refusal(U("--json", "account", "test"));
    expect(readdirSync(work).sort()).toEqual(["a;b", "plain"]);

    // With the shell allowed, the same string runs through sh -c.
    setConfig(account(`password_command = "touch ${work}/c; touch ${work}/d"\npassword_command_shell = true`));
    refusal(U("--json", "account", "test"));
    expect(readdirSync(work).sort()).toEqual(["a;b", "c", "d", "plain"]);
  });

  it("account set refuses a command that needs a shell unless --password-command-shell, and says so", () => {
    const { home, U } = nobodysHome();
    const config = join(home, "config.toml");
    const before = readFileSync(config, "utf8");
    const ACCOUNT = ["account", "set", "--email", "jane@example.test", "--smtp-host", "smtp.mail.test"];
    const rest = ["--smtp-port", "587", "--smtp-security", "starttls", "--imap-host", "imap.mail.test"];
    const all = [...ACCOUNT, ...rest, "--imap-port", "993", "--imap-security", "tls"];
    const e = refusal(U("--json", ...all, "--password-command", "pass show mail | head -1"));
    expect(e.code).toBe("PASSWORD_COMMAND_NEEDS_SHELL");
    expect(e.hint).toMatch(/--password-command-shell/);
    expect(readFileSync(config, "utf8")).toBe(before);
    ok(U(...all, "--password-command", "pass show mail | head -1", "--password-command-shell"));
    expect(readFileSync(config, "utf8")).toMatch(/^password_command_shell = true$/m);
    // A new command given without the flag runs without a shell again.
    ok(U(...all, "--password-command", "pass show mail"));
    expect(readFileSync(config, "utf8")).not.toMatch(/password_command_shell/);
  });
});

describe("a refused database keeps its bytes and its mode", () => {
  /** The database's bytes and mode, and the names in the home. */
  const snapshot = (home: string) => {
    const db = join(home, "loanmail.db");
    return { sha256: sha256(db), mode: statSync(db).mode & 0o777 };
  };

  it("chmod 400 loanmail.db: every command refuses it as read-only and leaves the mode 0400", () => {
    const { home } = setupHome();
    const L = (...args: string[]) => run(["--home", home, ...args], NO_HANG);
    const db = join(home, "loanmail.db");
    chmodSync(db, 0o400);
    const before = snapshot(home);
    for (const args of [["cases"], ["due"], ["backup", "--out", join(tempDir(), "b.db")]]) {
      const e = refusal(L("--json", ...args));
      expect(e.code).toBe("DATABASE_READ_ONLY");
      expect(e.message).toBe(
        `${db} is read-only (mode 0400); loanmail opens its database for writing on every command`,
      );
      expect(e.hint).toContain(`chmod u+w ${db}`);
    }
    expect(snapshot(home)).toEqual(before);
    expect(before.mode).toBe(0o400);
  });

  it("a newer schema in rollback-journal mode is refused with its header bytes unchanged (no switch to WAL)", () => {
    const { home } = setupHome();
    const L = (...args: string[]) => run(["--home", home, ...args], NO_HANG);
    const db = join(home, "loanmail.db");
    const raw = new Database(db);
    raw.pragma("journal_mode = DELETE");
    raw.pragma("user_version = 999");
    raw.close();
    const before = snapshot(home);
    // Bytes 18 and 19 of the header: 1 is a rollback journal, 2 is WAL.
    expect([...readFileSync(db).subarray(18, 20)]).toEqual([1, 1]);
    const names = readdirSync(home).sort();
    for (const args of [["cases"], ["loan", "list"], ["note", "1", "x"]]) {
      expect(refusal(L("--json", ...args)).code).toBe("DATABASE_TOO_NEW");
    }
    expect(snapshot(home)).toEqual(before);
    expect([...readFileSync(db).subarray(18, 20)]).toEqual([1, 1]);
    expect(readdirSync(home).sort(), "no -wal or -shm file made").toEqual(names);
  });

  it("an empty loanmail.db, or another program's SQLite file, is refused by name and never rebuilt", () => {
    const { home } = setupHome();
    const L = (...args: string[]) => run(["--home", home, ...args], NO_HANG);
    const db = join(home, "loanmail.db");
    writeFileSync(db, "");
    const INIT = [
      "init",
      "--name",
      "Jane Q. Doe",
      "--email",
      "jane@example.test",
      "--address",
      "12 Elm St\\nSpringfield",
    ];
    for (const args of [["cases"], INIT]) {
      const e = refusal(L("--json", ...args));
      expect(e.code).toBe("NOT_A_DATABASE");
      expect(e.message).toMatch(new RegExp(`^${db} is not a loanmail database \\(it is empty, 0 bytes`));
    }
    expect(statSync(db).size).toBe(0);

    const other = new Database(db);
    other.exec("CREATE TABLE recipes (name TEXT, steps TEXT)");
    other.close();
    const before = snapshot(home);
    const e = refusal(L("--json", "cases"));
    expect(e.code).toBe("NOT_A_DATABASE");
    expect(e.message).toBe(`${db} is not a loanmail database (an SQLite database of something else)`);
    expect(snapshot(home)).toEqual(before);

    // At a schema version no migration of loanmail's writes (3), in rollback-journal mode: refused unmigrated.
    const versioned = new Database(db);
    versioned.pragma("journal_mode = DELETE");
    versioned.pragma("user_version = 3");
    versioned.close();
    const atThree = snapshot(home);
    const e3 = refusal(L("--json", "cases"));
    expect(e3.code).toBe("NOT_A_DATABASE");
    expect(e3.message).toBe(
      `${db} is not a loanmail database (schema version 3 is not one loanmail writes: an SQLite database of something else)`,
    );
    expect(snapshot(home)).toEqual(atThree);
    expect([...readFileSync(db).subarray(18, 20)], "not switched to WAL").toEqual([1, 1]);

    // An SQLite file with nothing in it (not 0 bytes: its header is there) is not built over either.
    rmSync(db);
    const bare = new Database(db);
    bare.pragma("user_version = 0");
    bare.exec("VACUUM");
    bare.close();
    const empty = snapshot(home);
    const e0 = refusal(L("--json", "cases"));
    expect(e0.code).toBe("NOT_A_DATABASE");
    expect(e0.message).toMatch(
      new RegExp(`^${db} is not a loanmail database \\(it is an SQLite database with nothing in it`),
    );
    expect(snapshot(home)).toEqual(empty);
  });

  it("a database linked to a device is refused unopened (exit 1, not 70)", async () => {
    const { home } = setupHome();
    const n = await makeNodes();
    const db = join(home, "loanmail.db");
    renameSync(db, join(n.dir, "real.db"));
    symlinkSync(n.zero, db);
    const e = refusal(run(["--home", home, "--json", "cases"], NO_HANG));
    expect(e.code).toBe("NOT_A_DATABASE");
    expect(e.message).toBe(`${db} is not a loanmail database (it is a device)`);
    expect(kindAt(n.zero)).toBe("char 261");
  });

  it("a user_version set back below the migrations its tables show is refused, naming the migration", () => {
    const { home } = setupHome();
    const L = (...args: string[]) => run(["--home", home, ...args], NO_HANG);
    const db = join(home, "loanmail.db");
    const raw = new Database(db);
    raw.pragma("user_version = 50");
    raw.close();
    const before = snapshot(home);
    const counts = rowCounts(home);
    const e = refusal(L("--json", "cases"));
    expect(e.code).toBe("DATABASE_VERSION_SET_BACK");
    expect(e.message).toBe(
      // The newest migration whose additions its tables hold is named (the counting replies' index, migration 180, today).
      `${db} says schema version 50, but its tables already hold what migration 180 adds (index messages_reply_clock_counts): its user_version was set back`,
    );
    expect(e.hint).toContain(`sqlite3 ${db} 'PRAGMA user_version = 180'`);
    expect(snapshot(home)).toEqual(before);
    expect(rowCounts(home)).toEqual(counts);
    const check = new Database(db, { readonly: true });
    expect(check.pragma("user_version", { simple: true })).toBe(50);
    check.close();
  });
});

describe("dates outside the days loanmail works with are exit 1, not 70", () => {
  it("deadline --received 0000-01-01, 9999-12-31 and 1985-12-31 are refused; 1986-01-01 and 2199-12-31 work", () => {
    const { home } = setupHome();
    const L = (...args: string[]) => run(["--home", home, ...args], NO_HANG);
    for (const day of ["0000-01-01", "9999-12-31", "1985-12-31", "2200-01-01"]) {
      const e = refusal(L("--json", "deadline", "notice-of-error", "--received", day));
      expect(e.code).toBe("DATE_OUT_OF_RANGE");
      expect(e.message).toBe(`--received ${day} is outside the days loanmail works with (1986-01-01 to 2199-12-31)`);
    }
    const ack = (day: string) => {
      const doc = JSON.parse(ok(L("--json", "deadline", "notice-of-error", "--received", day)).stdout) as {
        clocks: { name: string; dueStrict: string }[];
      };
      return doc.clocks.find((c) => /acknowledgment/.test(c.name))?.dueStrict;
    };
    // 1986-01-01 (Wednesday, New Year's Day) + 5 business days: Jan 2, 3, 6, 7, 8 = 1986-01-08.
    expect(ack("1986-01-01")).toBe("1986-01-08");
    // 2199-12-31 (Tuesday) + 5 business days, New Year's Day 2200-01-01 (Wednesday) skipped: Jan 2, 3, 6, 7, 8.
    expect(ack("2199-12-31")).toBe("2200-01-08");
    const before = rowCounts(home);
    expect(refusal(L("--json", "due", "--as-of", "9999-12-31")).code).toBe("DATE_OUT_OF_RANGE");
    // A letter written before 1986 is a typo; one in the future is said to be that first.
    const dated = (day: string) => refusal(L("--json", ...NOE, "--loan", "1", "--summary", FACTS, "--dated", day));
    expect(dated("1985-12-31")).toMatchObject({
      code: "DATE_OUT_OF_RANGE",
      message: "--dated 1985-12-31 is outside the days loanmail works with (1986-01-01 to 2199-12-31)",
    });
    expect(dated("9999-12-31").code).toBe("DATE_IN_FUTURE");
    expect(rowCounts(home)).toEqual(before);
  });

  it("sent --date names what is wrong with the day typed: not a date, out of range, in the future", () => {
    const { home } = setupHome();
    const L = (...args: string[]) => run(["--home", home, ...args], NO_HANG);
    ok(L(...NOE, "--loan", "1", "--summary", FACTS));
    const before = rowCounts(home);
    const sent = (day: string) => refusal(L("--json", "sent", "1", "--via", "portal", "--date", day));
    expect(sent("2026-02-30")).toMatchObject({ code: "INVALID_DATE", message: "--date 2026-02-30: not a date" });
    expect(sent("0000-01-01")).toMatchObject({
      code: "DATE_OUT_OF_RANGE",
      message: "--date 0000-01-01 is outside the days loanmail works with (1986-01-01 to 2199-12-31)",
    });
    expect(sent("9999-12-31").code).toBe("DATE_IN_FUTURE");
    expect(rowCounts(home)).toEqual(before);
  });
});
