/**
 * The text of `loanmail completion bash|zsh|fish`. Each script holds the command table (completion-model.ts) as a
 * lookup function, `KEY → words`, and one small walker in the shell's own language that reads the words typed so
 * far: which command they name, how many arguments it has, whether the word before the cursor is an option that
 * takes a value. Values kept in the record are asked of `loanmail __complete WHAT` (with `--home` when one was
 * typed), whose errors go nowhere: no home, no values. Keys:
 *
 *   s:PATH          the subcommands of PATH ("" is loanmail itself)
 *   d:PATH          the same with a description each (zsh and fish show them)
 *   o:PATH          its options
 *   v:PATH:FLAG     where the value of an option comes from (absent for an option that takes none)
 *   a:PATH:N        where its Nth argument comes from (from 0); a:PATH:rest for the arguments after the last
 *
 * A source is `@WHAT` (loanmail __complete WHAT), `=WORD WORD ...`, `file`, or `text` (nothing offered).
 */
import type { CompletionNode } from "./completion-model.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

type Table = [key: string, lines: string[]][];

/**
 * Shell text written as a template literal without substitutions: `\${` in the source stands for the shell's
 * own `${` (a template literal would read it as a substitution); everything else is kept as typed.
 */
function shellText(parts: TemplateStringsArray): string {
  return (parts.raw[0] ?? "").replaceAll("\\${", "${");
}

function table(nodes: readonly CompletionNode[], describe: (name: string, description: string) => string): Table {
  const rows: Table = [];
  for (const n of nodes) {
    if (n.subcommands.length > 0) {
      rows.push([`s:${n.path}`, [n.subcommands.map((s) => s.name).join(" ")]]);
      rows.push([`d:${n.path}`, n.subcommands.map((s) => describe(s.name, s.description))]);
    }
    rows.push([`o:${n.path}`, [n.options.map((o) => o.flag).join(" ")]]);
    for (const o of n.options) if (o.value !== null) rows.push([`v:${n.path}:${o.flag}`, [o.value]]);
    n.args.forEach((a, i) => {
      rows.push([`a:${n.path}:${i}`, [a]]);
    });
    if (n.rest !== null) rows.push([`a:${n.path}:rest`, [n.rest]]);
  }
  return rows;
}

/** A word in POSIX single quotes. */
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** A word in fish's single quotes (backslash and quote escaped). */
const fq = (s: string): string => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** The lookup function in bash or zsh. */
function posixSpec(name: string, rows: Table): string {
  const arms = rows.map(([key, lines]) => `    ${sq(key)}) printf '%s\\n' ${lines.map(sq).join(" ")} ;;`);
  return [`${name}() {`, '  case "$1" in', ...arms, "  esac", "}"].join("\n");
}

function header(shell: Shell, version: string, load: string): string {
  return [
    `# ${shell} completion for loanmail ${version}, written by: loanmail completion ${shell}`,
    `# ${load}`,
    "# Cases, clients, loans, servicers, accounts and kinds come from `loanmail __complete WHAT` when you press Tab.",
  ].join("\n");
}

const BASH_WALKER = shellText`_loanmail() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="" n=0 i=1 w src="" prev c
  local -a home=()
  # The words before the cursor: the command they name, its arguments so far, and a --home or --client typed
  # anywhere (the values offered are that home's, fenced to that client).
  # Bash splits --x=value and 12:30 at = and : (COMP_WORDBREAKS): such a glue word and the word after it go.
  while ((i < COMP_CWORD)); do
    w="\${COMP_WORDS[i]}"
    if [[ "$w" == "=" || "$w" == ":" ]]; then
      ((i += 2))
      continue
    fi
    if [[ "$w" == -* ]]; then
      if [[ -n "$(_loanmail_spec "v:\${cmdpath}:$w")" ]]; then
        ((i++))
        [[ "\${COMP_WORDS[i]}" == "=" ]] && ((i++))
        ((i < COMP_CWORD)) && [[ "$w" == --home || "$w" == --client ]] && home+=("$w" "\${COMP_WORDS[i]}")
      fi
      ((i++))
      continue
    fi
    if ((n == 0)) && [[ " $(_loanmail_spec "s:$cmdpath") " == *" $w "* ]]; then
      cmdpath="\${cmdpath:+$cmdpath }$w"
    else
      ((n++))
    fi
    ((i++))
  done
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if ((COMP_CWORD > 1)) && [[ "$prev" == -* ]]; then src="$(_loanmail_spec "v:\${cmdpath}:$prev")"; fi
  if [[ -z "$src" ]]; then
    if [[ "$cur" == -* ]]; then
      src="=$(_loanmail_spec "o:$cmdpath")"
    elif [[ -n "$(_loanmail_spec "s:$cmdpath")" ]]; then
      src="=$(_loanmail_spec "s:$cmdpath")"
    else
      src="$(_loanmail_spec "a:\${cmdpath}:$n")"
      [[ -z "$src" ]] && src="$(_loanmail_spec "a:\${cmdpath}:rest")"
    fi
  fi
  COMPREPLY=()
  case "$src" in
    @*)
      while IFS= read -r c; do
        c="\${c%%$'\t'*}"
        [[ -n "$c" && "$c" == "\${cur//\\/}"* ]] && COMPREPLY+=("$(printf '%q' "$c")")
      done < <(command loanmail __complete "\${src#@}" "\${home[@]}" 2>/dev/null)
      ;;
    =*) mapfile -t COMPREPLY < <(compgen -W "\${src#=}" -- "$cur") ;;
    file)
      compopt -o filenames 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -f -- "$cur")
      ;;
  esac
  return 0
}
complete -F _loanmail loanmail`;

function bashScript(nodes: readonly CompletionNode[], version: string): string {
  const load = "Load it: source <(loanmail completion bash); to keep it, add that line to ~/.bashrc (bash 4 or later).";
  return [
    header("bash", version, load),
    posixSpec(
      "_loanmail_spec",
      table(nodes, (n, d) => `${n}\t${d}`),
    ),
    BASH_WALKER,
    "",
  ].join("\n");
}

const ZSH_WALKER = shellText`_loanmail() {
  local cmdpath="" n=0 i=2 w src="" prev cur="\${words[CURRENT]}" line
  local -a home vals
  while (( i < CURRENT )); do
    w="\${words[i]}"
    if [[ "$w" == -* ]]; then
      if [[ "$w" != *=* && -n "$(_loanmail_spec "v:\${cmdpath}:$w")" ]]; then
        (( i++ ))
        (( i < CURRENT )) && [[ "$w" == --home || "$w" == --client ]] && home+=("$w" "\${(Q)words[i]}")
      fi
      (( i++ ))
      continue
    fi
    if (( n == 0 )) && [[ " $(_loanmail_spec "s:$cmdpath") " == *" $w "* ]]; then
      cmdpath="\${cmdpath:+$cmdpath }$w"
    else
      (( n++ ))
    fi
    (( i++ ))
  done
  prev="\${words[CURRENT-1]}"
  if (( CURRENT > 2 )) && [[ "$prev" == -* ]]; then src="$(_loanmail_spec "v:\${cmdpath}:$prev")"; fi
  if [[ -z "$src" ]]; then
    if [[ "$cur" == -* ]]; then
      src="=$(_loanmail_spec "o:$cmdpath")"
    elif [[ -n "$(_loanmail_spec "s:$cmdpath")" ]]; then
      vals=("\${(@f)$(_loanmail_spec "d:$cmdpath")}")
      _describe -t commands 'loanmail command' vals
      return
    else
      src="$(_loanmail_spec "a:\${cmdpath}:$n")"
      [[ -z "$src" ]] && src="$(_loanmail_spec "a:\${cmdpath}:rest")"
    fi
  fi
  case "$src" in
    @*)
      for line in "\${(@f)$(command loanmail __complete "\${src#@}" "\${home[@]}" 2>/dev/null)}"; do
        [[ -n "$line" ]] && vals+=("\${\${line%%$'\t'*}//:/\\:}:\${line#*$'\t'}")
      done
      _describe -t values 'value' vals
      ;;
    "="*)
      # Quoted: a bare =word is zsh's equals expansion (the path of the command "word").
      vals=(\${=\${src#=}})
      compadd -a vals
      ;;
    file) _files ;;
  esac
}
if [[ "$funcstack[1]" == "_loanmail" ]]; then
  _loanmail "$@"
else
  compdef _loanmail loanmail
fi`;

function zshScript(nodes: readonly CompletionNode[], version: string): string {
  const load =
    "Load it: source <(loanmail completion zsh) after compinit; or save it as _loanmail in a folder of your $fpath.";
  return [
    "#compdef loanmail",
    header("zsh", version, load),
    posixSpec(
      "_loanmail_spec",
      table(nodes, (n, d) => `${n.replace(/:/g, "\\:")}:${d}`),
    ),
    ZSH_WALKER,
    "",
  ].join("\n");
}

const FISH_WALKER = shellText`function __loanmail_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l cmdpath ''
    set -l n 0
    set -l home
    set -l i 2
    while test $i -le (count $tokens)
        set -l w $tokens[$i]
        if string match -q -- '-*' $w
            set -l v (__loanmail_spec "v:$cmdpath:$w")
            if not string match -q -- '*=*' $w; and test -n "$v"
                set i (math $i + 1)
                if test "$w" = --home -o "$w" = --client; and test $i -le (count $tokens)
                    set home $home $w $tokens[$i]
                end
            end
            set i (math $i + 1)
            continue
        end
        set -l subs (string split ' ' -- (__loanmail_spec "s:$cmdpath"))
        if test $n -eq 0; and contains -- $w $subs
            if test -z "$cmdpath"
                set cmdpath $w
            else
                set cmdpath "$cmdpath $w"
            end
        else
            set n (math $n + 1)
        end
        set i (math $i + 1)
    end
    set -l src ''
    if test (count $tokens) -gt 1; and string match -q -- '-*' $tokens[-1]
        set src (__loanmail_spec "v:$cmdpath:$tokens[-1]")
    end
    if test -z "$src"
        set -l subs (__loanmail_spec "s:$cmdpath")
        if string match -q -- '-*' $cur
            set src "="(__loanmail_spec "o:$cmdpath")
        else if test -n "$subs"
            __loanmail_spec "d:$cmdpath"
            return
        else
            set src (__loanmail_spec "a:$cmdpath:$n")
            test -z "$src"; and set src (__loanmail_spec "a:$cmdpath:rest")
        end
    end
    switch $src
        case '@*'
            command loanmail __complete (string sub -s 2 -- $src) $home 2>/dev/null
        case '=*'
            string split ' ' -- (string sub -s 2 -- $src)
        case file
            __fish_complete_path $cur
    end
end
complete -c loanmail -f -a '(__loanmail_complete)'`;

function fishScript(nodes: readonly CompletionNode[], version: string): string {
  const load =
    "Load it: loanmail completion fish | source; to keep it: loanmail completion fish > ~/.config/fish/completions/loanmail.fish";
  const rows = table(nodes, (n, d) => `${n}\t${d}`);
  const arms = rows.map(
    ([key, lines]) => `        case ${fq(key)}\n            printf '%s\\n' ${lines.map(fq).join(" ")}`,
  );
  const spec = ["function __loanmail_spec", "    switch $argv[1]", ...arms, "    end", "end"].join("\n");
  return [header("fish", version, load), spec, FISH_WALKER, ""].join("\n");
}

/** The completion script of `shell` for the commands in `nodes`. */
export function completionScript(shell: Shell, nodes: readonly CompletionNode[], version: string): string {
  if (shell === "bash") return bashScript(nodes, version);
  if (shell === "zsh") return zshScript(nodes, version);
  return fishScript(nodes, version);
}
