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

/** Every command path ("get", "get rollout", …): other words typed are arguments, not commands. */
function knownPaths(tree: CommandTree): string[] {
  return entriesOf(tree)
    .map((e) => e.path.join(' '))
    .filter((p) => p !== '');
}

function entriesOf(tree: CommandTree): { path: string[]; words: string[] }[] {
  const entries: { path: string[]; words: string[] }[] = [];
  walk(tree, [], entries);
  return entries;
}

function bashScript(tree: CommandTree): string {
  const fn = `_${tree.name.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
  const cases = entriesOf(tree)
    .map((e) => `    ${shellWord(e.path.join(' ') || '.')}) words=${shellWord(e.words.join(' '))} ;;`)
    .join('\n');
  const VALUE_FLAGS = valueFlags(tree).join('|') || '--';
  const KNOWN = knownPaths(tree).map(shellWord).join('|');
  return `${fn}() {
  local path="" w words skip=""
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    if [ -n "$skip" ]; then skip=""; continue; fi
    case "$w" in
      ${VALUE_FLAGS}) skip=1 ;;
      -*) ;;
      *) case "\${path:+$path }$w" in ${KNOWN}) path="\${path:+$path }$w" ;; esac ;;
    esac
  done
  case "\${path:-.}" in
${cases}
    *) words="" ;;
  esac
  COMPREPLY=( $(compgen -W "$words" -- "\${COMP_WORDS[COMP_CWORD]}") )
}
complete -F ${fn} ${tree.name} kubectl-${tree.name}
`;
}

// fish: the words typed so far (commandline -opc) give the command path, as in bash.
function fishScript(tree: CommandTree): string {
  const id = tree.name.replace(/[^A-Za-z0-9_]/g, '_');
  const cases = entriesOf(tree)
    .map(
      (e) =>
        `        case ${shellWord(e.path.join(' ') || '.')}\n            printf '%s\\n' ${e.words.map(shellWord).join(' ')}`,
    )
    .join('\n');
  const VALUE_FLAGS = valueFlags(tree).map(shellWord).join(' ') || '--';
  const KNOWN = knownPaths(tree).map(shellWord).join(' ');
  return `function __${id}_complete
    set -l known ${KNOWN}
    set -l path
    set -l skip 0
    for w in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $w
            case ${VALUE_FLAGS}
                set skip 1
            case '-*'
            case '*'
                set -l longer (string join ' ' $path $w)
                contains -- $longer $known; and set -a path $w
        end
    end
    set -l key (string join ' ' $path)
    test -n "$key"; or set key .
    switch $key
${cases}
    end
end
complete -c ${tree.name} -f -a '(__${id}_complete)'
complete -c kubectl-${tree.name} -f -a '(__${id}_complete)'
`;
}

const psWord = (s: string) => `'${s.replace(/'/g, "''")}'`;

// PowerShell: a native argument completer; the command's elements before the word under the
// cursor give the path.
function powershellScript(tree: CommandTree): string {
  const cases = entriesOf(tree)
    .map((e) => `        ${psWord(e.path.join(' ') || '.')} { @(${e.words.map(psWord).join(', ')}) }`)
    .join('\n');
  const VALUE_FLAGS = valueFlags(tree).map(psWord).join(', ');
  return `Register-ArgumentCompleter -Native -CommandName ${psWord(tree.name)}, ${psWord(`kubectl-${tree.name}`)} -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $elements = @($commandAst.CommandElements | Select-Object -Skip 1 | ForEach-Object { $_.ToString() })
    if ($wordToComplete -ne '' -and $elements.Count -gt 0) { $elements = @($elements | Select-Object -SkipLast 1) }
    $valueFlags = @(${VALUE_FLAGS})
    $known = @(${knownPaths(tree).map(psWord).join(', ')})
    $path = @()
    $skip = $false
    foreach ($w in $elements) {
        if ($skip) { $skip = $false; continue }
        if ($valueFlags -contains $w) { $skip = $true; continue }
        if ($w.StartsWith('-')) { continue }
        if ($known -contains (@($path + $w) -join ' ')) { $path += $w }
    }
    $key = if ($path.Count -gt 0) { $path -join ' ' } else { '.' }
    $words = switch ($key) {
${cases}
        default { @() }
    }
    $words | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`;
}

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;

export function completionScript(shell: string, tree: CommandTree): string {
  if (shell === 'bash') return bashScript(tree);
  if (shell === 'zsh') return `autoload -U +X bashcompinit && bashcompinit\n${bashScript(tree)}`;
  if (shell === 'fish') return fishScript(tree);
  if (shell === 'powershell') return powershellScript(tree);
  throw new Error(`unsupported shell "${shell}": use ${COMPLETION_SHELLS.join(', ')}`);
}
