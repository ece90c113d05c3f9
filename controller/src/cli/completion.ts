// Shell completion scripts generated from the command tree commander holds: subcommand names and
// flags, word by word. Pure: the program passes its tree in.

export interface CommandTree {
  name: string;
  aliases: string[];
  flags: string[];
  /** Flags that take a value (the next word is the value, not a subcommand). */
  valueFlags: string[];
  commands: CommandTree[];
}

function valueFlags(tree: CommandTree): string[] {
  return [...new Set([...tree.valueFlags, ...tree.commands.flatMap(valueFlags)])].sort();
}

function walk(tree: CommandTree, path: string[], out: { path: string[]; words: string[] }[]): void {
  const words = [...tree.commands.flatMap((c) => [c.name, ...c.aliases]), ...tree.flags];
  out.push({ path, words });
  for (const child of tree.commands) {
    for (const name of [child.name, ...child.aliases]) walk(child, [...path, name], out);
  }
}

const shellWord = (s: string) => (/^[A-Za-z0-9._/=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function completionScript(shell: string, tree: CommandTree): string {
  const entries: { path: string[]; words: string[] }[] = [];
  walk(tree, [], entries);
  const fn = `_${tree.name.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
  const cases = entries
    .map((e) => `    ${shellWord(e.path.join(' ') || '.')}) words=${shellWord(e.words.join(' '))} ;;`)
    .join('\n');
  const VALUE_FLAGS = valueFlags(tree).join('|') || '--';
  const body = `${fn}() {
  local path="" w words skip=""
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    if [ -n "$skip" ]; then skip=""; continue; fi
    case "$w" in
      ${VALUE_FLAGS}) skip=1 ;;
      -*) ;;
      *) path="\${path:+$path }$w" ;;
    esac
  done
  case "\${path:-.}" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=( $(compgen -W "$words" -- "\${COMP_WORDS[COMP_CWORD]}") )
}`;
  if (shell === 'bash') return `${body}\ncomplete -F ${fn} ${tree.name} kubectl-${tree.name}\n`;
  if (shell === 'zsh')
    return `autoload -U +X bashcompinit && bashcompinit\n${body}\ncomplete -F ${fn} ${tree.name} kubectl-${tree.name}\n`;
  throw new Error(`unsupported shell "${shell}": use bash or zsh`);
}
